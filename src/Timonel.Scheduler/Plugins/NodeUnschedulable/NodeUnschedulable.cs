using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.NodeUnschedulable;

/// <summary>
/// Keeps pods off nodes with spec.unschedulable (cordoned), unless they tolerate the
/// node.kubernetes.io/unschedulable:NoSchedule taint (upstream plugins/nodeunschedulable).
/// </summary>
public sealed class NodeUnschedulable : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeUnschedulable";

    /// <summary>upstream ErrReasonUnschedulable.</summary>
    public const string ErrReasonUnschedulable = "node(s) were unschedulable";

    private static readonly V1Taint _unschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (node.Node?.Spec?.Unschedulable == true && !Tolerations.Tolerates(pod.Pod.Spec?.Tolerations, _unschedulableTaint))
        {
            return Status.UnschedulableAndUnresolvable(ErrReasonUnschedulable);
        }

        return Status.Success;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
        [new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint, "Node")];
}
