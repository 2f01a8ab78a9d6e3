using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The opaque "continue" of a paged list: the revision of the first page and the key to resume from, in the
/// shape upstream uses (base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"..."}, apiserver pkg/storage/continue.go).
/// A token that does not decode is refused with upstream's texts, prefixed as storage.ValidateListOptions does.
/// </summary>
public static class ContinueToken
{
    private const string Version = "meta.k8s.io/v1";

    // apiserver pkg/storage/continue.go ErrGenericInvalidKey and friends.
    private const string InvalidKey = "continue key is not valid";

    public static string Encode(long revision, string startKeySuffix)
    {
        var json = new JsonObject { ["v"] = Version, ["rv"] = revision, ["start"] = startKeySuffix }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// The revision to read at (negative: the latest, which upstream hands out after a compaction) and the key
    /// suffix to resume from.
    /// </summary>
    public static (long Revision, string StartKeySuffix) Decode(string token)
    {
        // A JSON null decodes into an empty token, refused below for its missing version.
        var node = ParseJson(DecodeBase64(token)) ?? new JsonObject();
        if (node is not JsonObject fields)
        {
            throw Invalid($"{InvalidKey}: json: cannot unmarshal {GoJsonKind.Of(node)} into Go value of type storage.continueToken");
        }

        var version = Field(fields, "v", JsonValueKind.String, "string")?.GetValue<string>() ?? "";
        var revisionNode = Field(fields, "rv", JsonValueKind.Number, "int64");
        var start = Field(fields, "start", JsonValueKind.String, "string")?.GetValue<string>() ?? "";
        long revision = 0;
        if (revisionNode is not null && !long.TryParse(revisionNode.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out revision))
        {
            throw Invalid($"{InvalidKey}: json: cannot unmarshal number {revisionNode.ToJsonString()} into Go struct field continueToken.rv of type int64");
        }

        if (version != Version)
        {
            throw Invalid($"{InvalidKey}: server does not recognize this encoded version {version}");
        }

        if (revision == 0)
        {
            throw Invalid($"{InvalidKey}: incorrect encoded start resourceVersion (version {Version})");
        }

        if (start.Length == 0)
        {
            throw Invalid($"{InvalidKey}: encoded start key empty (version {Version})");
        }

        // A start key that path.Clean would change could reach above the listed prefix.
        var key = start.StartsWith('/') ? start : "/" + start;
        return IsCleanPath(key) ? (revision, key[1..]) : throw Invalid($"{InvalidKey}: {start}");
    }

    // base64.RawURLEncoding, which skips line breaks and names the first byte it cannot use.
    private static byte[] DecodeBase64(string token)
    {
        var text = token.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_'))
            {
                throw Invalid($"{InvalidKey}: illegal base64 data at input byte {i}");
            }
        }

        if (text.Length % 4 == 1)
        {
            throw Invalid($"{InvalidKey}: illegal base64 data at input byte {text.Length - 1}");
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private static JsonNode? ParseJson(byte[] bytes)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException ex)
        {
            var detail = ex.BytePositionInLine is { } position && (int)position < bytes.Length
                ? $"invalid character '{(char)bytes[(int)position]}' looking for beginning of value"
                : "unexpected end of JSON input";
            throw Invalid($"{InvalidKey}: {detail}");
        }
    }

    private static JsonNode? Field(JsonObject fields, string name, JsonValueKind kind, string goType) => fields[name] switch
    {
        null => null,
        var value when value.GetValueKind() == kind => value,
        var value => throw Invalid($"{InvalidKey}: json: cannot unmarshal {GoJsonKind.Of(value)} into Go struct field continueToken.{name} of type {goType}"),
    };

    // path.Clean leaves a rooted path alone when it has no empty, "." or ".." element and no trailing slash.
    private static bool IsCleanPath(string key) =>
        key == "/" || key[1..].Split('/').All(element => element is not ("" or "." or ".."));

    private static StatusException Invalid(string detail) => StatusException.BadRequest("invalid continue token: " + detail);
}
