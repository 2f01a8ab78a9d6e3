namespace Timonel.Scheduler.Framework;

/// <summary>
/// The cluster events that could make a pod this plugin rejected fit (upstream EnqueueExtensions.EventsToRegister):
/// the queue moves an unschedulable pod back only on events one of its rejecting plugins registered.
/// </summary>
public interface IEnqueueExtensions
{
    IReadOnlyList<ClusterEvent> EventsToRegister();
}
