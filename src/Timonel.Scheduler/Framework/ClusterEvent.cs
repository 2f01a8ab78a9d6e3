namespace Timonel.Scheduler.Framework;

/// <summary>A change in the cluster (upstream framework/types.go ClusterEvent): a kind of object and what happened to it.</summary>
public readonly record struct ClusterEvent(EventResource Resource, ActionType Action, string Label)
{
    /// <summary>upstream's NodeAdd.</summary>
    public static ClusterEvent NodeAdd { get; } = new(EventResource.Node, ActionType.Add, "NodeAdd");

    public static ClusterEvent AssignedPodDelete { get; } = new(EventResource.Pod, ActionType.Delete, "AssignedPodDelete");

    /// <summary>upstream's AssignedPodAdd: a pod bound to a node may satisfy another's pod affinity or spread.</summary>
    public static ClusterEvent AssignedPodAdd { get; } = new(EventResource.Pod, ActionType.Add, "AssignedPodAdd");

    /// <summary>upstream's AssignedPodUpdate, sent here when a bound pod's labels changed.</summary>
    public static ClusterEvent AssignedPodUpdate { get; } = new(EventResource.Pod, ActionType.UpdatePod, "AssignedPodUpdate");

    public static ClusterEvent NodeAllocatableChange { get; } = new(EventResource.Node, ActionType.UpdateNodeAllocatable, "NodeAllocatableChange");

    public static ClusterEvent NodeLabelChange { get; } = new(EventResource.Node, ActionType.UpdateNodeLabel, "NodeLabelChange");

    public static ClusterEvent NodeTaintChange { get; } = new(EventResource.Node, ActionType.UpdateNodeTaint, "NodeTaintChange");

    public static ClusterEvent NodeSpecUnschedulableChange { get; } = new(EventResource.Node, ActionType.UpdateNodeTaint, "NodeSpecUnschedulableChange");

    public static ClusterEvent NodeConditionChange { get; } = new(EventResource.Node, ActionType.UpdateNodeCondition, "NodeConditionChange");

    public static ClusterEvent NodeAnnotationChange { get; } = new(EventResource.Node, ActionType.UpdateNodeAnnotation, "NodeAnnotationChange");

    /// <summary>upstream's UnschedulableTimeout: a pod parked longer than podMaxInUnschedulablePodsDuration.</summary>
    public static ClusterEvent UnschedulableTimeout { get; } = new(EventResource.WildCard, ActionType.All, "UnschedulableTimeout");

    /// <summary>Whether a plugin that registered this event wants to hear of <paramref name="other"/> (upstream's Match).</summary>
    public bool Match(ClusterEvent other) =>
        (Resource == EventResource.WildCard || other.Resource == EventResource.WildCard || Resource == other.Resource)
        && (Action & other.Action) != 0;
}
