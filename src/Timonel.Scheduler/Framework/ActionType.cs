namespace Timonel.Scheduler.Framework;

/// <summary>What happened to an object (upstream framework.ActionType): a node update is split by what changed.</summary>
[Flags]
public enum ActionType
{
    None = 0,
    Add = 1,
    Delete = 2,
    UpdateNodeAllocatable = 4,
    UpdateNodeLabel = 8,
    UpdateNodeTaint = 16,
    UpdateNodeCondition = 32,
    UpdateNodeAnnotation = 64,
    UpdatePod = 128,
    Update = UpdateNodeAllocatable | UpdateNodeLabel | UpdateNodeTaint | UpdateNodeCondition | UpdateNodeAnnotation | UpdatePod,
    All = Add | Delete | Update,
}
