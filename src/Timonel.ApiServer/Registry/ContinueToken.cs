using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;

namespace Timonel.ApiServer.Registry;

/// <summary>
/// The opaque "continue" of a paged list: the revision of the first page and the key to resume from, in the
/// shape upstream uses (base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"..."}, storage/etcd3 continue.go).
/// </summary>
public static class ContinueToken
{
    public static string Encode(long revision, string startKeySuffix)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = startKeySuffix }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long Revision, string StartKeySuffix) Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(base64));
            var revision = node?["rv"]?.GetValue<long>() ?? 0;
            var start = node?["start"]?.GetValue<string>() ?? "";
            if (node?["v"]?.GetValue<string>() != "meta.k8s.io/v1" || revision <= 0 || start.Contains("..", StringComparison.Ordinal))
            {
                throw new FormatException();
            }

            return (revision, start);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException)
        {
            throw StatusException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
