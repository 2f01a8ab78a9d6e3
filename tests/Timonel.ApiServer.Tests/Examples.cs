using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Timonel.ApiServer.Tests;

/// <summary>
/// The example manifests of examples/ as JSON objects, converted the way kubectl sends them: plain scalars that
/// look like numbers, booleans or null become those, quoted scalars stay strings.
/// </summary>
internal static class Examples
{
    /// <summary>The document of <paramref name="kind"/> in examples/<paramref name="file"/>.</summary>
    public static JsonObject Load(string file, string kind)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "examples", file)))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => (JsonObject)ToJson(d.RootNode)!).Single(o => (string?)o["kind"] == kind);
    }

    public static JsonObject Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return text;
        }

        if (text is "null" or "~" or "")
        {
            return null;
        }

        if (text is "true" or "false")
        {
            return text == "true";
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : text;
    }
}
