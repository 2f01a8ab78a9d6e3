namespace Timonel.Scheduler.Framework;

/// <summary>
/// Runs in the binding cycle before the pod is bound (upstream PreBindPlugin): it may write to the API and wait
/// (the VolumeBinding plugin binds the pod's claims there). Anything but success fails the binding: the pod is
/// unreserved and goes back to the queue.
/// </summary>
public interface IPreBindPlugin : IPlugin
{
    Task<Status> PreBindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken);
}
