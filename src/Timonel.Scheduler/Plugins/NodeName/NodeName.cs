using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.NodeName;

/// <summary>A pod naming a node in spec.nodeName fits that node only (upstream plugins/nodename).</summary>
public sealed class NodeName : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeName";

    /// <summary>upstream ErrReason.</summary>
    public const string ErrReason = "node(s) didn't match the requested node name";

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        pod.Pod.Spec?.NodeName is { Length: > 0 } wanted && wanted != node.Name
            ? Status.UnschedulableAndUnresolvable(ErrReason)
            : Status.Success;

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
        [new(EventResource.Node, ActionType.Add | ActionType.Update, "Node")];
}
