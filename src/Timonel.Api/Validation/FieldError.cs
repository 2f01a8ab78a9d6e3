using System.Globalization;
using Timonel.Api.Internal;

namespace Timonel.Api.Validation;

/// <summary>
/// One field-level validation error, as apimachinery's field.Error (pkg/util/validation/field/errors.go).
/// <see cref="ToString"/> is <c>&lt;field&gt;: &lt;body&gt;</c>, e.g.
/// <c>metadata.name: Invalid value: "A": a lowercase RFC 1123 subdomain must consist of ...</c>.
/// </summary>
public sealed class FieldError
{
    /// <summary>Marker for a bad value that must not be shown (upstream's omitValue).</summary>
    private static readonly object _omitValue = new();

    private FieldError(FieldErrorType type, FieldPath? field, object? badValue, string detail)
    {
        Type = type;
        Field = field?.ToString() ?? "<nil>";
        BadValue = badValue;
        Detail = detail;
    }

    /// <summary>Why the field is invalid.</summary>
    public FieldErrorType Type { get; }

    /// <summary>The field's path, e.g. <c>spec.containers[0].image</c>.</summary>
    public string Field { get; }

    /// <summary>
    /// The offending value (string, number, bool, JsonNode, list, or a <see cref="GoValue"/> when the Go type upstream
    /// passes is known), or null. Strings are quoted, numbers and bools plain, the rest printed as Go's %#v.
    /// </summary>
    public object? BadValue { get; }

    /// <summary>Extra explanation appended after the value.</summary>
    public string Detail { get; }

    /// <summary>A required value is missing.</summary>
    public static FieldError Required(FieldPath? field, string detail = "") => new(FieldErrorType.Required, field, string.Empty, detail);

    /// <summary>A malformed value.</summary>
    public static FieldError Invalid(FieldPath? field, object? value, string detail) => new(FieldErrorType.Invalid, field, value, detail);

    /// <summary>A value of the wrong type for its schema.</summary>
    public static FieldError TypeInvalid(FieldPath field, object? value, string detail) => new(FieldErrorType.TypeInvalid, field, value, detail);

    /// <summary>A value that must be unique is repeated (<paramref name="detail"/>: why, where upstream adds one).</summary>
    public static FieldError Duplicate(FieldPath field, object? value, string detail = "") => new(FieldErrorType.Duplicate, field, value, detail);

    /// <summary>A looked-up value was not found.</summary>
    public static FieldError NotFound(FieldPath field, object? value) => new(FieldErrorType.NotFound, field, value, string.Empty);

    /// <summary>A value outside an enumerated set; detail lists the supported values, each quoted.</summary>
    public static FieldError NotSupported(FieldPath? field, object? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : string.Empty;
        return new FieldError(FieldErrorType.NotSupported, field, value, detail);
    }

    /// <summary>A well-formed value that is not permitted under current conditions.</summary>
    public static FieldError Forbidden(FieldPath field, string detail) => new(FieldErrorType.Forbidden, field, string.Empty, detail);

    /// <summary>A value longer than <paramref name="maxLength"/> bytes (negative: no limit is named).</summary>
    public static FieldError TooLong(FieldPath field, int maxLength)
    {
        // apimachinery v0.32.0 field.TooLong: "may not be more than %d bytes", even for 1 (later releases say "1 byte").
        var detail = maxLength >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} bytes")
            : "value is too long";
        return new FieldError(FieldErrorType.TooLong, field, "<value omitted>", detail);
    }

    /// <summary>A list with <paramref name="actualQuantity"/> items (negative: not shown) over <paramref name="maxQuantity"/>.</summary>
    public static FieldError TooMany(FieldPath field, int actualQuantity, int maxQuantity)
    {
        var detail = maxQuantity >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"must have at most {maxQuantity} items")
            : "has too many items";
        object actual = actualQuantity >= 0 ? actualQuantity : _omitValue;
        return new FieldError(FieldErrorType.TooMany, field, actual, detail);
    }

    /// <summary>A failure not caused by the user's input.</summary>
    public static FieldError Internal(FieldPath? field, string message) => new(FieldErrorType.Internal, field, null, message);

    /// <summary>The message without the field name, as upstream's ErrorBody (used in Status causes).</summary>
    public string ErrorBody()
    {
        string body;
        if (Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.Internal
            || ReferenceEquals(BadValue, _omitValue))
        {
            body = Type.ToText();
        }
        else
        {
            body = Type.ToText() + ": " + GoFormat.Value(BadValue);
        }
        return Detail.Length > 0 ? body + ": " + Detail : body;
    }

    /// <summary>The full message: <c>&lt;field&gt;: &lt;body&gt;</c>.</summary>
    public override string ToString() => Field + ": " + ErrorBody();
}
