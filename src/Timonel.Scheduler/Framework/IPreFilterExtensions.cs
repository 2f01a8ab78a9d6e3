namespace Timonel.Scheduler.Framework;

/// <summary>
/// A PreFilter plugin whose cycle state depends on the other pods of a node (upstream PreFilterExtensions): told when
/// preemption's dry run or a nominated pod adds or removes a pod, so its Filter sees the changed node.
/// </summary>
public interface IPreFilterExtensions : IPreFilterPlugin
{
    Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
}
