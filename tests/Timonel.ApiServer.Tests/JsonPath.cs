using System.Globalization;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Tests;

/// <summary>Reads a node by a slash-separated path ("spec/containers/0/image"); keys may contain dots.</summary>
internal static class JsonPath
{
    public static JsonNode? Get(JsonNode? node, string path)
    {
        foreach (var step in path.Split('/'))
        {
            node = node switch
            {
                JsonObject obj => obj[step],
                JsonArray array when int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>The node at the path as compact JSON, or "missing".</summary>
    public static string Json(JsonNode? node, string path) => Get(node, path)?.ToJsonString() ?? "missing";
}
