using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.ApiServer.Json;

/// <summary>
/// JSON as Go's encoding/json writes it, for responses, stored objects and JSON inside strings (FieldsV1 keys, error
/// messages): compact, escaping only what JSON needs, not quotes as \u0022 nor every non-ASCII character.
/// </summary>
internal static class GoJson
{
    private static readonly JsonSerializerOptions _options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = NestingLimit.EnvelopeDepth,
    };

    public static string Compact(JsonNode? node) => node?.ToJsonString(_options) ?? "null";

    /// <summary>
    /// The bytes of an object as the server stores and serves it: a raw reader (curl, kubectl get --raw) sees
    /// "configuración" and \" as from kube-apiserver, not \u00F3 and \u0022.
    /// </summary>
    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, _options);

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
