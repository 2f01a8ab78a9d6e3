using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;

namespace Timonel.Api.Internal;

/// <summary>
/// Renders values the way Go's fmt does in upstream messages (%q for strings, %v for numbers and bools),
/// so error texts read exactly as a real API server's.
/// </summary>
internal static class GoFormat
{
    /// <summary>Go's strconv.Quote / %q: a double-quoted string with Go escapes.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (c < ' ' || c == '\x7f')
                    {
                        builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (c > '\x7f' && !GoUnicode.IsGraphic(char.GetUnicodeCategory(c)))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Go's %v of a float64: shortest round-trip digits, exponent form below 1e-4 and from 1e6 (strconv %g, shortest).</summary>
    public static string Float(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var mantissa = shortest;
        var exponent = 0;
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var negative = mantissa.StartsWith('-');
        if (negative)
        {
            mantissa = mantissa[1..];
        }
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var intDigits = (point < 0 ? mantissa.Length : point) + exponent;
        var firstNonZero = digits.TakeWhile(ch => ch == '0').Count();
        if (firstNonZero == digits.Length)
        {
            return negative ? "-0" : "0";
        }
        digits = digits[firstNonZero..].TrimEnd('0');
        intDigits -= firstNonZero;
        var decimalExponent = intDigits - 1;
        string text;
        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            var sign = decimalExponent < 0 ? "-" : "+";
            var magnitude = Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
            text = digits[0] + fraction + "e" + sign + magnitude;
        }
        else if (intDigits <= 0)
        {
            text = "0." + new string('0', -intDigits) + digits;
        }
        else if (intDigits >= digits.Length)
        {
            text = digits + new string('0', intDigits - digits.Length);
        }
        else
        {
            text = digits[..intDigits] + "." + digits[intDigits..];
        }
        return negative ? "-" + text : text;
    }

    /// <summary>
    /// Renders a bad value as Kubernetes 1.32's field.Error.ErrorBody does: nil as the quoted string "null", strings
    /// quoted, numbers and bools plain (%v), anything else as Go's %#v (<see cref="GoSyntax"/>).
    /// </summary>
    public static string Value(object? value) => value switch
    {
        null => Quote("null"),
        JsonValue jsonValue when jsonValue.GetValueKind() == JsonValueKind.Null => Quote("null"),
        _ => GoSyntax(value),
    };

    /// <summary>
    /// Go's %#v: a <see cref="GoValue"/> as it was rendered, strings quoted, numbers and bools plain, string lists as
    /// []string, and JSON trees as the unstructured data Go holds them in (map[string]interface {} with sorted
    /// keys, []interface {}, interface {}(nil)).
    /// </summary>
    public static string GoSyntax(object? value)
    {
        switch (value)
        {
            case null:
                return "interface {}(nil)";
            case GoValue go:
                return go.Text;
            case string s:
                return Quote(s);
            case bool b:
                return b ? "true" : "false";
            case int or long or short or byte or uint or ulong:
                return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            case double d:
                return Float(d);
            case float f:
                return Float(f);
            case decimal m:
                return m.ToString(CultureInfo.InvariantCulture);
            case JsonValue jsonValue:
                return JsonValueText(jsonValue);
            case JsonObject obj:
                return "map[string]interface {}{" + string.Join(", ", obj.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Quote(e.Key) + ":" + GoSyntax(e.Value))) + "}";
            case JsonArray array:
                return "[]interface {}{" + string.Join(", ", array.Select(GoSyntax)) + "}";
            case IEnumerable<string> strings:
                return GoValue.Strings(strings).Text;
            case IEnumerable enumerable:
                return "[]interface {}{" + string.Join(", ", enumerable.Cast<object?>().Select(GoSyntax)) + "}";
            default:
                return value.ToString() ?? "<nil>";
        }
    }

    private static string JsonValueText(JsonValue value)
    {
        return value.GetValueKind() switch
        {
            JsonValueKind.String => Quote(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => NumberText(value.ToJsonString()),
            JsonValueKind.Null => "interface {}(nil)",
            _ => value.ToJsonString(),
        };
    }

    private static string NumberText(string json)
    {
        if (long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }
        return Float(double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
