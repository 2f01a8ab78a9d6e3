using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Api.Patching;

/// <summary>JSON value helpers shared by the patch implementations.</summary>
internal static class JsonNodes
{
    /// <summary>
    /// Structural equality as Go's decoding into interface{} then reflect.DeepEqual: numbers compare as float64,
    /// object key order is irrelevant.
    /// </summary>
    public static bool SemanticEquals(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                return x.Count == y.Count && x.All(p => y.TryGetPropertyValue(p.Key, out var other) && SemanticEquals(p.Value, other));
            case (JsonArray x, JsonArray y):
                return x.Count == y.Count && x.Zip(y).All(p => SemanticEquals(p.First, p.Second));
            case (JsonValue x, JsonValue y):
                var kind = x.GetValueKind();
                if (kind != y.GetValueKind())
                {
                    return false;
                }
                return kind switch
                {
                    JsonValueKind.String => x.GetValue<string>() == y.GetValue<string>(),
                    JsonValueKind.Number => ToDouble(x) == ToDouble(y),
                    _ => true,
                };
            default:
                return false;
        }
    }

    /// <summary>True for a JSON null or a missing value.</summary>
    public static bool IsNull(JsonNode? node) => node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    /// <summary>The string of a JSON string value, else null.</summary>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A detached deep copy (nodes can have only one parent).</summary>
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>Go's %v of a decoded JSON value, used in upstream messages that print maps and values.</summary>
    public static string GoString(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject o => "map[" + string.Join(" ", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + GoString(p.Value))) + "]",
        JsonArray a => "[" + string.Join(" ", a.Select(GoString)) + "]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => Internal.GoFormat.Float(ToDouble(v)),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "<nil>",
        },
        _ => node.ToJsonString(Objects.NestingLimit.SerializerOptions),
    };

    /// <summary>The Go type name upstream prints for a decoded JSON value (map[string]interface {}, []interface {}, string...).</summary>
    public static string GoTypeName(JsonNode? node) => node switch
    {
        null => "<nil>",
        JsonObject => "map[string]interface {}",
        JsonArray => "[]interface {}",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "float64",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "<nil>",
        },
        _ => "<nil>",
    };

    private static double ToDouble(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
