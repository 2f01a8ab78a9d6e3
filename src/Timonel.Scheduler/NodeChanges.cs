using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler;

/// <summary>
/// The scheduling-relevant changes of a node update (upstream eventhandlers.go nodeSchedulingPropertiesChange): a
/// heartbeat that only moves timestamps changes nothing, so it requeues no pod.
/// </summary>
internal static class NodeChanges
{
    public static IReadOnlyList<ClusterEvent> Of(V1Node oldNode, V1Node newNode)
    {
        var events = new List<ClusterEvent>();
        if (oldNode.Spec?.Unschedulable != newNode.Spec?.Unschedulable)
        {
            events.Add(ClusterEvent.NodeSpecUnschedulableChange);
        }

        if (!SameQuantities(oldNode.Status?.Allocatable, newNode.Status?.Allocatable))
        {
            events.Add(ClusterEvent.NodeAllocatableChange);
        }

        if (!SameStrings(oldNode.Metadata?.Labels, newNode.Metadata?.Labels))
        {
            events.Add(ClusterEvent.NodeLabelChange);
        }

        if (!Same(oldNode.Spec?.Taints, newNode.Spec?.Taints, t => $"{t.Key}={t.Value}:{t.Effect}"))
        {
            events.Add(ClusterEvent.NodeTaintChange);
        }

        if (!Same(oldNode.Status?.Conditions, newNode.Status?.Conditions, c => $"{c.Type}={c.Status}"))
        {
            events.Add(ClusterEvent.NodeConditionChange);
        }

        if (!SameStrings(oldNode.Metadata?.Annotations, newNode.Metadata?.Annotations))
        {
            events.Add(ClusterEvent.NodeAnnotationChange);
        }

        return events;
    }

    private static bool SameQuantities(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity>? b) =>
        Same(a, b, pair => $"{pair.Key}={pair.Value}");

    private static bool SameStrings(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        Same(a, b, pair => $"{pair.Key}={pair.Value}");

    private static bool Same<T>(IEnumerable<T>? a, IEnumerable<T>? b, Func<T, string> key) =>
        (a ?? []).Select(key).Order(StringComparer.Ordinal).SequenceEqual((b ?? []).Select(key).Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
