using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Timonel.Controllers.Deployment;

/// <summary>
/// The pod-template-hash a Deployment's ReplicaSets carry (upstream's controller.ComputeHash,
/// pkg/controller/controller_utils.go): FNV-1a 32 over the template, then over collisionCount as 8 little-endian
/// bytes when set, the decimal of the sum rendered with rand.SafeEncodeString. Upstream hashes the Go struct as
/// go-spew prints it, which cannot be reproduced from C#; here the template's canonical JSON (keys sorted) is hashed
/// instead, so the values differ from upstream's for the same template but have its alphabet, length and stability.
/// </summary>
internal static class PodTemplateHash
{
    /// <summary>apimachinery's rand alphanums: no vowels (no words) and no 0, 1, 3 (no confusion with letters).</summary>
    private const string Alphanums = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(CanonicalJson(template)))
        {
            hash = Fnv(hash, b);
        }

        if (collisionCount is { } count)
        {
            var bytes = new byte[8];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)count);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes, 0, 4);
            }

            foreach (var b in bytes)
            {
                hash = Fnv(hash, b);
            }
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>rand.SafeEncodeString: each byte mapped into the alphabet.</summary>
    public static string SafeEncode(string s) => string.Concat(s.Select(c => Alphanums[c % Alphanums.Length]));

    private static uint Fnv(uint hash, byte b) => unchecked((hash ^ b) * 16777619u);

    /// <summary>
    /// The template as JSON with keys sorted, so equal templates give equal text whatever the order of their maps.
    /// <paramref name="dropEmpty"/> also leaves out empty maps and lists, which apimachinery's semantic equality
    /// treats as equal to absent ones.
    /// </summary>
    public static string CanonicalJson(V1PodTemplateSpec template, bool dropEmpty = false)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(template));
        return Sort(node, dropEmpty)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Sort(JsonNode? node, bool dropEmpty) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value, dropEmpty)))
            .Where(p => !dropEmpty || p.Value is not (null or JsonObject { Count: 0 } or JsonArray { Count: 0 }))),
        JsonArray array => new JsonArray([.. array.Select(item => Sort(item, dropEmpty))]),
        _ => node?.DeepClone(),
    };
}
