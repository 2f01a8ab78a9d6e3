namespace Timonel.Scheduler.Framework;

/// <summary>
/// Approves, rejects or delays the binding (upstream PermitPlugin). Wait holds the pod until the plugin (or another)
/// calls <see cref="WaitingPod.Allow"/> or <see cref="WaitingPod.Reject"/> through
/// <see cref="Framework.GetWaitingPod"/>, or until the timeout rejects it.
/// </summary>
public interface IPermitPlugin : IPlugin
{
    (Status Status, TimeSpan Timeout) Permit(CycleState state, PodInfo pod, string nodeName);
}
