using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Timonel.Controllers.Deployment;

namespace Timonel.Controllers.History;

/// <summary>
/// ControllerRevisions as upstream's pkg/controller/history builds, names, compares and orders them: the snapshots of a
/// DaemonSet's or StatefulSet's template that `kubectl rollout history|undo` read and apply.
/// </summary>
internal static class ControllerRevisions
{
    /// <summary>The label carrying a revision's hash (apps/v1 ControllerRevisionHashLabelKey).</summary>
    public const string HashLabel = "controller-revision-hash";

    /// <summary>upstream's ControllerRevisionName keeps names within 253 characters by truncating the parent's to 223.</summary>
    private const int MaxParentNameLength = 223;

    /// <summary>
    /// The revision's data for a pod template (both controllers' getPatch): a strategic merge patch that replaces
    /// spec.template, keys sorted as Go's encoding of a map sorts them.
    /// </summary>
    public static JsonObject TemplatePatch(V1PodTemplateSpec template)
    {
        var templateNode = (JsonObject)JsonNode.Parse(PodTemplateHash.CanonicalJson(template))!;
        var replaced = new JsonObject { ["$patch"] = "replace" };
        foreach (var (key, value) in templateNode.ToList())
        {
            templateNode.Remove(key);
            replaced[key] = value;
        }

        return new JsonObject { ["spec"] = new JsonObject { ["template"] = replaced } };
    }

    /// <summary>
    /// A new revision of <paramref name="owner"/> (history.NewControllerRevision): the template's labels, a controller
    /// reference to the owner, the data, the revision number, and the name <c>parent-hash</c>.
    /// </summary>
    public static V1ControllerRevision New(
        V1ObjectMeta owner,
        V1OwnerReference controllerReference,
        IDictionary<string, string>? templateLabels,
        JsonObject data,
        long revision,
        int? collisionCount)
    {
        var labels = templateLabels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(templateLabels, StringComparer.Ordinal);
        var hash = Hash(data, collisionCount);
        labels[HashLabel] = hash;
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(owner.Name, hash),
                NamespaceProperty = owner.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [controllerReference],
            },
            Data = JsonSerializer.Deserialize<JsonElement>(data.ToJsonString()),
            Revision = revision,
        };
    }

    /// <summary>
    /// history.HashControllerRevision: FNV-1 (not 1a) 32 over the data's bytes, then over the decimal collision count
    /// when set, rendered with rand.SafeEncodeString.
    /// </summary>
    public static string Hash(JsonObject data, int? collisionCount)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(data.ToJsonString()))
        {
            hash = unchecked((hash * 16777619u) ^ b);
        }

        if (collisionCount is { } count)
        {
            foreach (var b in Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture)))
            {
                hash = unchecked((hash * 16777619u) ^ b);
            }
        }

        return PodTemplateHash.SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    public static string Name(string parent, string hash) =>
        (parent.Length > MaxParentNameLength ? parent[..MaxParentNameLength] : parent) + "-" + hash;

    /// <summary>The revision's data as a JSON object (null when it has none).</summary>
    public static JsonObject? Data(V1ControllerRevision revision) =>
        revision.Data is null ? null : JsonNode.Parse(KubernetesJson.Serialize(revision.Data)) as JsonObject;

    /// <summary>history.EqualRevision: same hash label (when both carry one) and deep-equal data.</summary>
    public static bool Equal(V1ControllerRevision left, V1ControllerRevision right)
    {
        if (left.Metadata.Labels?.TryGetValue(HashLabel, out var leftHash) == true
            && right.Metadata.Labels?.TryGetValue(HashLabel, out var rightHash) == true
            && leftHash != rightHash)
        {
            return false;
        }

        return JsonNode.DeepEquals(Data(left), Data(right));
    }

    /// <summary>The revisions equal to <paramref name="needle"/> (history.FindEqualRevisions).</summary>
    public static List<V1ControllerRevision> FindEqual(IEnumerable<V1ControllerRevision> revisions, V1ControllerRevision needle) =>
        [.. revisions.Where(r => Equal(r, needle))];

    /// <summary>Oldest first: by revision number, then creation time, then name (history.SortControllerRevisions).</summary>
    public static List<V1ControllerRevision> Sorted(IEnumerable<V1ControllerRevision> revisions) =>
        [.. revisions
            .OrderBy(r => r.Revision)
            .ThenBy(r => r.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>The highest revision number, 0 when there is none (history.MaxRevision).</summary>
    public static long MaxRevision(IEnumerable<V1ControllerRevision> revisions) =>
        revisions.Max(r => (long?)r.Revision) ?? 0;
}
