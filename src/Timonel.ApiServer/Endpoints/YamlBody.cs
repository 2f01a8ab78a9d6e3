using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.ApiServer.Endpoints;

/// <summary>Request bodies sent as application/yaml, converted to JSON trees as upstream's yaml serializer does.</summary>
public static class YamlBody
{
    public static JsonNode? ToJson(byte[] bytes) => ToJson(bytes, out _);

    /// <summary>The body as JSON, with sigs.k8s.io/yaml's strict error for it (repeated keys) or null.</summary>
    public static JsonNode? ToJson(byte[] bytes, out string? strictError)
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

        // go-yaml's reader takes a leading byte order mark as the encoding's and skips it (yaml_parser_determine_encoding).
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        // Any further mark at the start of a line is skipped by its scanner (yaml_parser_scan_to_next_token) but still
        // counts as a column, so the first key is indented under none of the next ones: the document does not parse.
        if (text.StartsWith('\uFEFF'))
        {
            text = " " + text[1..];
        }

        try
        {
            return YamlConverter.ToJson(text, out strictError);
        }
        catch (YamlConversionException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }
    }
}
