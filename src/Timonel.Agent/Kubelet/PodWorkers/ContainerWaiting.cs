namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>Why a container does not run yet (status.containerStatuses[].state.waiting): e.g. ErrImagePull, CrashLoopBackOff.</summary>
internal sealed record ContainerWaiting(string Reason, string Message);
