using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// Output order (SortOrderTransformer): "legacy" by default and when sortOptions asks for it (kinds in orderFirst
/// first, orderLast last, the rest by group/version/kind then namespace/name); "fifo" keeps the build order.
/// </summary>
public static class ResourceSorter
{
    // api/internal/builtins/SortOrderTransformer.go defaultOrderFirst / defaultOrderLast.
    private static readonly string[] _defaultFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role",
        "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
        "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ];

    private static readonly string[] _defaultLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public static void Sort(ResourceList ra, YMap? sortOptions)
    {
        var order = sortOptions?.GetString("order") ?? "legacy";
        if (order == "fifo")
        {
            return;
        }
        if (order != "legacy")
        {
            throw new KustomizeException($"the field 'sortOptions.order' must be one of [fifo, legacy]");
        }
        var legacy = sortOptions?.GetMap("legacySortOptions");
        var first = legacy?.GetSeq("orderFirst")?.Items.OfType<YScalar>().Select(s => s.Value).ToArray() ?? _defaultFirst;
        var last = legacy?.GetSeq("orderLast")?.Items.OfType<YScalar>().Select(s => s.Value).ToArray() ?? _defaultLast;
        var ranks = new Dictionary<string, int>();
        for (var i = 0; i < first.Length; i++)
        {
            ranks[first[i]] = -first.Length + i;
        }
        for (var i = 0; i < last.Length; i++)
        {
            ranks[last[i]] = 1 + i;
        }
        var sorted = ra.Items.Select((r, i) => (r, i)).ToList();
        sorted.Sort((a, b) =>
        {
            var c = Compare(a.r, b.r, ranks);
            return c != 0 ? c : a.i.CompareTo(b.i);
        });
        ra.Items.Clear();
        ra.Items.AddRange(sorted.Select(x => x.r));
    }

    private static int Compare(Resource a, Resource b, Dictionary<string, int> ranks)
    {
        var sameGvk = a.Kind == b.Kind && a.Group == b.Group && a.Version == b.Version;
        if (!sameGvk)
        {
            var ra = ranks.GetValueOrDefault(a.Kind);
            var rb = ranks.GetValueOrDefault(b.Kind);
            if (ra != rb)
            {
                return ra.CompareTo(rb);
            }
            var ga = GvkString(a);
            var gb = GvkString(b);
            if (a.Kind == "Namespace" && b.Kind == "Namespace" && (a.Group.Length == 0 || b.Group.Length == 0))
            {
                return -string.CompareOrdinal(ga, gb);
            }
            return string.CompareOrdinal(ga, gb);
        }
        return string.CompareOrdinal(IdString(a), IdString(b));
    }

    private static string GvkString(Resource r) =>
        $"{(r.Group.Length == 0 ? "~G" : r.Group)}_{(r.Version.Length == 0 ? "~V" : r.Version)}_{(r.Kind.Length == 0 ? "~K" : r.Kind)}";

    private static string IdString(Resource r)
    {
        var gvk = $"{r.Kind}.{(r.Version.Length == 0 ? "[noVer]" : r.Version)}.{(r.Group.Length == 0 ? "[noGrp]" : r.Group)}";
        return $"{gvk}|{(r.Namespace.Length == 0 ? "~X" : r.Namespace)}|{(r.Name.Length == 0 ? "~N" : r.Name)}";
    }
}
