using System.Collections;

namespace Timonel.Api.Validation;

/// <summary>
/// An ordered list of <see cref="FieldError"/>s, as apimachinery's field.ErrorList, with the
/// aggregation upstream uses to build 422 Invalid responses.
/// </summary>
public sealed class FieldErrorList : IReadOnlyList<FieldError>
{
    private readonly List<FieldError> _errors = [];

    /// <summary>Creates an empty list.</summary>
    public FieldErrorList()
    {
    }

    /// <summary>Creates a list holding <paramref name="errors"/>.</summary>
    public FieldErrorList(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <inheritdoc />
    public int Count => _errors.Count;

    /// <summary>True when no error was recorded.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <inheritdoc />
    public FieldError this[int index] => _errors[index];

    /// <summary>Appends one error.</summary>
    public void Add(FieldError error) => _errors.Add(error);

    /// <summary>Appends several errors.</summary>
    public void AddRange(IEnumerable<FieldError> errors) => _errors.AddRange(errors);

    /// <summary>
    /// The aggregate message as upstream's ToAggregate().Error(): identical messages once, a single message
    /// bare, several joined by ", " inside brackets; null when the list is empty.
    /// </summary>
    public string? ToAggregateMessage()
    {
        if (_errors.Count == 0)
        {
            return null;
        }
        var distinct = _errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    /// <summary>The Status causes upstream's NewInvalid builds: one per error, with reason, body and field.</summary>
    public IReadOnlyList<StatusCause> ToStatusCauses() =>
        _errors.Select(e => new StatusCause(e.Type.ToReason(), e.ErrorBody(), e.Field)).ToList();

    /// <summary>
    /// The 422 Invalid status for an object, as apimachinery's errors.NewInvalid
    /// (pkg/api/errors/errors.go): message <c>Kind[.group] "name" is invalid: ...</c>.
    /// </summary>
    public InvalidStatus ToInvalidStatus(string group, string kind, string name) => new(group, kind, name, this);

    /// <inheritdoc />
    public IEnumerator<FieldError> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
