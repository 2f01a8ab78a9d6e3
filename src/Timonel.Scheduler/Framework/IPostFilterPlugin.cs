namespace Timonel.Scheduler.Framework;

/// <summary>
/// Runs when no node fits (upstream PostFilterPlugin), to make the pod fit later (preemption). Its status message
/// is appended to the failure message.
/// </summary>
public interface IPostFilterPlugin : IPlugin
{
    (string? NominatedNodeName, Status Status) PostFilter(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus);
}
