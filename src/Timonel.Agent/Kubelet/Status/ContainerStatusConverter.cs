using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>
/// One container's status from its instances in the runtime (kubelet_pods.go convertToAPIContainerStatuses): the
/// latest instance's state, the one before as lastState, why it waits when the kubelet holds it back, restart count,
/// readiness and startedness from the probes, the image as the runtime names it and its digest.
/// </summary>
internal sealed class ContainerStatusConverter
{
    public const string ContainerIdPrefix = "containerd://";

    private readonly IProbeManager _probes;

    public ContainerStatusConverter(IProbeManager probes) => _probes = probes;

    public V1ContainerStatus Convert(V1Pod pod, V1Container spec, PodRuntimeState state, ContainerWaiting? waiting, bool podTerminal)
    {
        var latest = state.Latest(spec.Name);
        var status = new V1ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image ?? "",
            ImageID = "",
            RestartCount = 0,
            Ready = false,
            Started = false,
            State = new V1ContainerState(),
            LastState = new V1ContainerState(),
        };
        if (latest is null)
        {
            status.State.Waiting = waiting is not null
                ? new V1ContainerStateWaiting { Reason = waiting.Reason, Message = waiting.Message }
                : new V1ContainerStateWaiting { Reason = pod.Spec.InitContainers is { Count: > 0 } ? "PodInitializing" : "ContainerCreating" };
            return status;
        }

        status.ContainerID = ContainerIdPrefix + latest.Id;
        status.Image = latest.Image?.Image is { Length: > 0 } image && !image.StartsWith("sha256:", StringComparison.Ordinal) ? ImageReference.Normalize(image) : ImageReference.Normalize(spec.Image ?? "");
        status.ImageID = latest.ImageRef;
        status.RestartCount = PodRuntimeState.RestartCount(latest);
        if (state.Previous(spec.Name) is { State: ContainerState.ContainerExited } previous)
        {
            status.LastState.Terminated = Terminated(previous, spec);
        }

        switch (latest.State)
        {
            case ContainerState.ContainerRunning:
                status.State.Running = new V1ContainerStateRunning { StartedAt = ApiTime.Seconds(PodRuntimeState.Time(latest.StartedAt)) };
                status.Started = _probes.IsStarted(latest.Id);
                status.Ready = !podTerminal && _probes.IsReady(latest.Id);
                break;
            case ContainerState.ContainerExited when waiting is not null && !podTerminal:
                // Held back (CrashLoopBackOff, an image pull for its restart): waiting, the exit as its last state.
                status.State.Waiting = new V1ContainerStateWaiting { Reason = waiting.Reason, Message = waiting.Message };
                status.LastState = new V1ContainerState { Terminated = Terminated(latest, spec) };
                break;
            case ContainerState.ContainerExited:
                status.State.Terminated = Terminated(latest, spec);
                break;
            default:
                status.State.Waiting = new V1ContainerStateWaiting { Reason = waiting?.Reason ?? "ContainerCreating", Message = waiting?.Message };
                break;
        }

        return status;
    }

    private static V1ContainerStateTerminated Terminated(ContainerStatus container, V1Container spec)
    {
        var message = TerminationMessages.Read(container, spec);
        return new V1ContainerStateTerminated
        {
            ExitCode = container.ExitCode,
            Reason = container.Reason is { Length: > 0 } reason ? reason : container.ExitCode == 0 ? "Completed" : "Error",
            Message = message.Length > 0 ? message : container.Message is { Length: > 0 } runtimeMessage ? runtimeMessage : null,
            StartedAt = container.StartedAt > 0 ? ApiTime.Seconds(PodRuntimeState.Time(container.StartedAt)) : null,
            FinishedAt = container.FinishedAt > 0 ? ApiTime.Seconds(PodRuntimeState.Time(container.FinishedAt)) : null,
            ContainerID = ContainerIdPrefix + container.Id,
        };
    }
}
