using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Whether one JSON value decodes into a scalar field of a built-in kind as upstream's decoder decodes it
/// (encoding/json's literalStore for Go's own types, the UnmarshalJSON of IntOrString, Quantity and Time for those).
/// </summary>
internal static class ScalarDecoder
{
    /// <summary>Why the value does not decode into <paramref name="shape"/>, or null when it does.</summary>
    public static DecodeError? Check(FieldShape shape, JsonNode value)
    {
        var kind = value.GetValueKind();
        return shape.Kind switch
        {
            FieldShapeKind.String => kind == JsonValueKind.String ? null : Mismatch(value, shape.GoName, aborts: false),
            FieldShapeKind.Bytes => kind != JsonValueKind.String ? Mismatch(value, shape.GoName, aborts: false)
                : GoBase64.Error(value.GetValue<string>()) is { } base64 ? DecodeError.Plain(base64, aborts: false)
                : null,
            FieldShapeKind.Bool => kind is JsonValueKind.True or JsonValueKind.False ? null : Mismatch(value, shape.GoName, aborts: false),
            FieldShapeKind.Int32 => Integer(value, int.MinValue, int.MaxValue, "int32", aborts: false),
            FieldShapeKind.Int64 => Integer(value, long.MinValue, long.MaxValue, "int64", aborts: false),
            FieldShapeKind.Float64 => Float(value),
            // intstr.IntOrString.UnmarshalJSON: a string, else json.Unmarshal into its int32.
            FieldShapeKind.IntOrString => kind == JsonValueKind.String ? null : Integer(value, int.MinValue, int.MaxValue, "int32", aborts: true),
            FieldShapeKind.Quantity => QuantityError(value, kind),
            // metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse(time.RFC3339, ...); MicroTime's
            // the same with RFC3339Micro (apimachinery/pkg/apis/meta/v1/micro_time.go).
            FieldShapeKind.Time or FieldShapeKind.MicroTime => kind != JsonValueKind.String ? Mismatch(value, "string", aborts: true)
                : GoTime.Error(value.GetValue<string>(), micro: shape.Kind == FieldShapeKind.MicroTime) is { } time ? DecodeError.Plain(time, aborts: true)
                : null,
            _ => null,
        };
    }

    private static DecodeError Mismatch(JsonNode value, string goType, bool aborts) =>
        DecodeError.TypeMismatch(GoJsonKind.Of(value), goType, aborts);

    // literalStore: strconv.ParseInt(text, 10, 64), then the field's overflow check; "number <text>" when either fails.
    private static DecodeError? Integer(JsonNode value, long min, long max, string goType, bool aborts)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return Mismatch(value, goType, aborts);
        }

        if (value is JsonValue scalar && scalar.TryGetValue<long>(out var fast))
        {
            return fast >= min && fast <= max ? null : DecodeError.TypeMismatch($"number {fast.ToString(CultureInfo.InvariantCulture)}", goType, aborts);
        }

        var text = value.ToJsonString();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : DecodeError.TypeMismatch("number " + text, goType, aborts);
    }

    // literalStore: strconv.ParseFloat(text, 64) fails with ErrRange beyond float64's range.
    private static DecodeError? Float(JsonNode value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return Mismatch(value, "float64", aborts: false);
        }

        var text = value.ToJsonString();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? null
            : DecodeError.TypeMismatch("number " + text, "float64", aborts: false);
    }

    // resource.Quantity.UnmarshalJSON: the text between the quotes of a string, else the raw JSON, trimmed and parsed.
    private static DecodeError? QuantityError(JsonNode value, JsonValueKind kind)
    {
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return IsPlainQuantity(text) || Quantity.TryParse(text.Trim(), out _, out var error) ? null : DecodeError.Plain(error!, aborts: true);
    }

    /// <summary>
    /// The quantities manifests are made of ("500m", "128Mi", "0.5"), recognised without allocating: digits, a
    /// fraction, one of resource.Quantity's suffixes (apimachinery/pkg/api/resource/suffix.go).
    /// </summary>
    private static bool IsPlainQuantity(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i is 0 or > 18)
        {
            return false;
        }

        if (i < s.Length - 1 && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
        {
            i += 2;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        return s.AsSpan(i) is "" or "n" or "u" or "m" or "k" or "M" or "G" or "T" or "P" or "E" or "Ki" or "Mi" or "Gi" or "Ti" or "Pi" or "Ei";
    }
}
