using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Request bodies sent as application/yaml, converted to JSON trees as upstream's yaml serializer does.</summary>
public static class YamlBody
{
    public static JsonNode? ToJson(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw StatusException.BadRequest("the body of the request could not be decoded as YAML: invalid UTF-8");
        }

        try
        {
            return YamlConverter.ToJson(text);
        }
        catch (YamlConversionException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }
    }
}
