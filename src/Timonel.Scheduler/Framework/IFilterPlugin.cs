namespace Timonel.Scheduler.Framework;

/// <summary>
/// Whether the pod can run on one node (upstream FilterPlugin). Called for many nodes at once from several threads:
/// reads the cycle state and the node, writes nothing shared. Success, Unschedulable (preemption might help) or
/// UnschedulableAndUnresolvable, with the reasons users see.
/// </summary>
public interface IFilterPlugin : IPlugin
{
    Status Filter(CycleState state, PodInfo pod, NodeInfo node);
}
