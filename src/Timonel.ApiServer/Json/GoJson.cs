using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Json;

/// <summary>
/// JSON text as Go's encoding/json writes it where upstream puts JSON inside a string (FieldsV1 keys, error messages):
/// compact, escaping only what JSON needs (and &lt;, &gt;, &amp;), not quotes as \u0022 nor every non-ASCII character.
/// </summary>
internal static class GoJson
{
    private static readonly JsonSerializerOptions _options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Compact(JsonNode? node) => node?.ToJsonString(_options) ?? "null";

    /// <summary>
    /// What Go's json.Marshal writes for decoded JSON (map[string]interface{}): object keys sorted, and &lt;, &gt;,
    /// &amp; escaped as \u003c, \u003e, \u0026, as its encoder does by default.
    /// </summary>
    public static string Marshal(JsonNode? node) => Compact(Sorted(node))
        .Replace("<", "\\u003c", StringComparison.Ordinal)
        .Replace(">", "\\u003e", StringComparison.Ordinal)
        .Replace("&", "\\u0026", StringComparison.Ordinal);

    // The three characters occur in compact JSON only inside strings, so replacing them in the text is safe.
    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
