using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Timonel.OpenApi.Tests;

/// <summary>Reads the documents of a YAML file as JSON trees (scalars kept as strings: only the shape matters here).</summary>
internal static class YamlToJson
{
    public static IEnumerable<JsonObject> Documents(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(path));
        stream.Load(reader);
        foreach (var document in stream.Documents)
        {
            if (Convert(document.RootNode) is JsonObject obj)
            {
                yield return obj;
            }
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => null,
    };
}
