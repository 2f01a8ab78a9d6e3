namespace Timonel.Scheduler.Framework;

/// <summary>
/// Binds the pod to the node (upstream BindPlugin). Skip hands the pod to the next bind plugin; the first other
/// answer ends binding.
/// </summary>
public interface IBindPlugin : IPlugin
{
    Task<Status> BindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
