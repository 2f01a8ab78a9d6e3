using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Bench.Scheduler;

/// <summary>
/// scheduler_perf's TopologySpreading (test/integration/scheduler_perf/config/performance-config.yaml): nodes labelled
/// topology.kubernetes.io/zone with three values (labelNodePrepareStrategy moon-1..3), the warm-up pods plain
/// (pod-default.yaml), the measured pods spread on the zone with maxSkew 1, DoNotSchedule
/// (pod-with-topology-spreading.yaml). Upstream's 5000Nodes case: 5,000 nodes, 5,000 initial pods, 2,000 measured.
/// </summary>
internal static class TopologySpreading
{
    public const string Name = "topology-spreading";

    private const string ZoneLabel = "topology.kubernetes.io/zone";

    public static string ZoneOf(int node) => "moon-" + ((node % 3) + 1).ToString(CultureInfo.InvariantCulture);

    public static V1Node LabelNode(V1Node node, int index)
    {
        node.Metadata.Labels[ZoneLabel] = ZoneOf(index);
        return node;
    }

    /// <summary>Labels nodes sim-0 … sim-(count-1) already registered, as `kubectl label` would (a merge patch each).</summary>
    public static Task LabelNodesAsync(IKubernetes client, int count, int creators) =>
        ClusterLoad.ForEachAsync(count, creators, i => client.CoreV1.PatchNodeAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"" + ZoneLabel + "\":\"" + ZoneOf(i) + "\"}}}", V1Patch.PatchType.MergePatch), $"sim-{i}"));

    public static V1Pod Spread(V1Pod pod)
    {
        pod.Metadata.Labels = new Dictionary<string, string> { ["foo"] = "bar" };
        pod.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = ZoneLabel,
                WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["foo"] = "bar" } },
            },
        ];
        return pod;
    }
}
