namespace Timonel.Scheduler.Framework;

/// <summary>
/// Told when the pod is assumed on a node (upstream ReservePlugin). Unreserve undoes Reserve when a later step fails
/// and must be idempotent.
/// </summary>
public interface IReservePlugin : IPlugin
{
    Status Reserve(CycleState state, PodInfo pod, string nodeName);

    void Unreserve(CycleState state, PodInfo pod, string nodeName);
}
