using System.Globalization;
using System.Text;
using Timonel.Api.Validation;

namespace Timonel.Api.Selectors;

/// <summary>
/// One requirement of a label selector (key, operator, values), as apimachinery's labels.Requirement
/// (pkg/labels/selector.go). Create it with <see cref="Create"/>, which validates as NewRequirement does.
/// </summary>
public sealed class LabelRequirement
{
    // Upstream's binaryOperators then unaryOperators, in their string forms (selection.Operator values).
    private static readonly string[] _validOperators = ["in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"];

    private LabelRequirement(string key, SelectionOperator op, IReadOnlyList<string> values)
    {
        Key = key;
        Operator = op;
        Values = values;
    }

    /// <summary>The label key.</summary>
    public string Key { get; }

    /// <summary>The operator.</summary>
    public SelectionOperator Operator { get; }

    /// <summary>The values, in the order given.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Builds a validated requirement; throws <see cref="SelectorParseException"/> with upstream's aggregated
    /// field errors (paths under <paramref name="path"/>, upstream's nil path when null) when invalid.
    /// <paramref name="emptyIsNil"/>: no values reach upstream as a nil slice (LabelSelectorAsSelector copies them
    /// with append([]string(nil), ...)), which its messages print as []string(nil) rather than []string{}.
    /// </summary>
    public static LabelRequirement Create(string key, SelectionOperator op, IReadOnlyList<string> values, FieldPath? path = null, bool emptyIsNil = false)
    {
        var errors = Validate(key, op, values, path, emptyIsNil);
        if (!errors.IsEmpty)
        {
            throw new SelectorParseException(errors.ToAggregateMessage()!);
        }
        return new LabelRequirement(key, op, values);
    }

    /// <summary>The validation NewRequirement performs, as field errors.</summary>
    public static FieldErrorList Validate(string key, SelectionOperator op, IReadOnlyList<string> values, FieldPath? path = null, bool emptyIsNil = false)
    {
        var errors = new FieldErrorList();
        var shown = GoValue.Strings(emptyIsNil && values.Count == 0 ? null : values);
        if (ValidateKey(key, ChildOf(path, "key")) is { } keyError)
        {
            errors.Add(keyError);
        }
        var valuePath = ChildOf(path, "values");
        switch (op)
        {
            case SelectionOperator.In or SelectionOperator.NotIn:
                if (values.Count == 0)
                {
                    errors.Add(FieldError.Invalid(valuePath, shown, "for 'in', 'notin' operators, values set can't be empty"));
                }
                break;
            case SelectionOperator.Equals or SelectionOperator.DoubleEquals or SelectionOperator.NotEquals:
                if (values.Count != 1)
                {
                    errors.Add(FieldError.Invalid(valuePath, shown, "exact-match compatibility requires one single value"));
                }
                break;
            case SelectionOperator.Exists or SelectionOperator.DoesNotExist:
                if (values.Count != 0)
                {
                    errors.Add(FieldError.Invalid(valuePath, shown, "values set must be empty for exists and does not exist"));
                }
                break;
            case SelectionOperator.GreaterThan or SelectionOperator.LessThan:
                if (values.Count != 1)
                {
                    errors.Add(FieldError.Invalid(valuePath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (var i = 0; i < values.Count; i++)
                {
                    if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add(FieldError.Invalid(valuePath.Index(i), values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
                break;
            default:
                errors.Add(FieldError.NotSupported(ChildOf(path, "operator"), op.ToString(), _validOperators));
                break;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var messages = NameValidation.IsValidLabelValue(values[i]);
            if (messages.Count != 0)
            {
                errors.Add(FieldError.Invalid(valuePath.Index(i).Key(key), values[i], string.Join("; ", messages)));
            }
        }
        return errors;
    }

    /// <summary>Whether <paramref name="labels"/> satisfy this requirement (NotIn and != match when the key is absent).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        switch (Operator)
        {
            case SelectionOperator.In or SelectionOperator.Equals or SelectionOperator.DoubleEquals:
                return has && Values.Contains(value!);
            case SelectionOperator.NotIn or SelectionOperator.NotEquals:
                return !has || !Values.Contains(value!);
            case SelectionOperator.Exists:
                return has;
            case SelectionOperator.DoesNotExist:
                return !has;
            case SelectionOperator.GreaterThan or SelectionOperator.LessThan:
                if (!has || Values.Count != 1
                    || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
                    || !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                {
                    return false;
                }
                return Operator == SelectionOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The requirement in selector syntax, as upstream's String(): <c>a in (x,y)</c>, <c>!b</c>, <c>c!=d</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (Operator == SelectionOperator.DoesNotExist)
        {
            builder.Append('!');
        }
        builder.Append(Key);
        var (op, parenthesised) = Operator switch
        {
            SelectionOperator.Equals => ("=", false),
            SelectionOperator.DoubleEquals => ("==", false),
            SelectionOperator.NotEquals => ("!=", false),
            SelectionOperator.In => (" in ", true),
            SelectionOperator.NotIn => (" notin ", true),
            SelectionOperator.GreaterThan => (">", false),
            SelectionOperator.LessThan => ("<", false),
            _ => (string.Empty, false),
        };
        if (Operator is SelectionOperator.Exists or SelectionOperator.DoesNotExist)
        {
            return builder.ToString();
        }
        builder.Append(op);
        if (parenthesised)
        {
            builder.Append('(');
        }
        builder.Append(Values.Count == 1 ? Values[0] : string.Join(",", Values.Order(StringComparer.Ordinal)));
        if (parenthesised)
        {
            builder.Append(')');
        }
        return builder.ToString();
    }

    internal static FieldError? ValidateKey(string key, FieldPath? path)
    {
        var messages = NameValidation.IsQualifiedName(key);
        return messages.Count == 0 ? null : FieldError.Invalid(path, key, string.Join("; ", messages));
    }

    // Upstream's Path.Child on a nil path yields a root path of that name.
    private static FieldPath ChildOf(FieldPath? path, string name) => path is null ? FieldPath.Root(name) : path.Child(name);
}
