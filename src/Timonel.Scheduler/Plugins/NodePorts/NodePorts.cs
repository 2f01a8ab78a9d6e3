using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.NodePorts;

/// <summary>A pod's host ports must be free on the node (upstream plugins/nodeports).</summary>
public sealed class NodePorts : IPreFilterPlugin, IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodePorts";

    /// <summary>upstream ErrReason.</summary>
    public const string ErrReason = "node(s) didn't have free ports for the requested pod ports";

    public string Name => PluginName;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod) =>
        (null, pod.HostPorts.Count == 0 ? Status.Skip : Status.Success);

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var port in pod.HostPorts)
        {
            if (node.UsedPorts.CheckConflict(port.HostIP, port.Protocol, port.HostPort!.Value))
            {
                return Status.Unschedulable(ErrReason);
            }
        }

        return Status.Success;
    }

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Pod, ActionType.Delete, "Pod"),
        new(EventResource.Node, ActionType.Add | ActionType.Update, "Node"),
    ];
}
