using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Request bodies sent as YAML, converted to JSON trees.</summary>
public static class YamlBody
{
    public static JsonNode? ToJson(byte[] bytes) =>
        throw StatusException.UnsupportedMediaType("application/yaml", ["application/json"]);
}
