using k8s.Models;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>
/// A pod's status from what the runtime holds of it (kubelet_pods.go generateAPIPodStatus, status/generate.go):
/// phase, the kubelet's conditions, every container's status, pod and host IPs, QoS class and start time.
/// </summary>
internal sealed class PodStatusGenerator
{
    private readonly ContainerStatusConverter _containers;

    public PodStatusGenerator(ContainerStatusConverter containers) => _containers = containers;

    /// <param name="pod">The pod as the API server has it.</param>
    /// <param name="state">Its sandboxes and containers in the runtime.</param>
    /// <param name="waiting">Why containers the kubelet holds back wait, by name.</param>
    /// <param name="previous">The status last written (its conditions keep their transition times).</param>
    /// <param name="podIsTerminal">Whether the pod is done: nothing of it will be restarted.</param>
    public V1PodStatus Generate(V1Pod pod, PodRuntimeState state, IReadOnlyDictionary<string, ContainerWaiting> waiting, V1PodStatus? previous, string hostIP, DateTimeOffset startTime, DateTimeOffset now, bool podIsTerminal)
    {
        var init = (pod.Spec.InitContainers ?? []).Select(c => _containers.Convert(pod, c, state, waiting.GetValueOrDefault(c.Name), podIsTerminal)).ToList();
        var containers = pod.Spec.Containers.Select(c => _containers.Convert(pod, c, state, waiting.GetValueOrDefault(c.Name), podIsTerminal)).ToList();
        var phase = PodPhases.Of(pod, init, containers, podIsTerminal);
        if (PodPhases.IsTerminal(previous?.Phase) && !PodPhases.IsTerminal(phase))
        {
            // A terminal phase is final: a pod that finished does not go back (status manager's checks).
            phase = previous!.Phase;
        }

        var podIPs = state.PodIPs.Count > 0 ? state.PodIPs : previous?.PodIPs?.Select(ip => ip.Ip).ToList() ?? [];
        return new V1PodStatus
        {
            Phase = phase,
            Conditions = PodConditions.Merge(previous?.Conditions, now, Conditions(pod, state, init, containers, phase)),
            HostIP = hostIP,
            HostIPs = [new V1HostIP { Ip = hostIP }],
            PodIP = podIPs.Count > 0 ? podIPs[0] : null,
            PodIPs = podIPs.Count > 0 ? [.. podIPs.Select(ip => new V1PodIP { Ip = ip })] : null,
            StartTime = previous?.StartTime ?? ApiTime.Seconds(startTime),
            InitContainerStatuses = init.Count > 0 ? init : null,
            ContainerStatuses = containers,
            QosClass = pod.Status?.QosClass ?? QosClasses.Of(pod),
        };
    }

    /// <summary>A pod the kubelet refused (admission): Failed with the reason and message, nothing run.</summary>
    public static V1PodStatus Rejected(V1Pod pod, string reason, string message, string hostIP, DateTimeOffset now) => new()
    {
        Phase = PodPhases.Failed,
        Reason = reason,
        Message = $"Pod was rejected: {message}",
        HostIP = hostIP,
        HostIPs = [new V1HostIP { Ip = hostIP }],
        StartTime = ApiTime.Seconds(now),
        Conditions = pod.Status?.Conditions,
        QosClass = pod.Status?.QosClass ?? QosClasses.Of(pod),
    };

    private static PodConditionState[] Conditions(V1Pod pod, PodRuntimeState state, List<V1ContainerStatus> init, List<V1ContainerStatus> containers, string phase)
    {
        var incomplete = (pod.Spec.InitContainers ?? []).Where(c =>
        {
            var status = init.First(s => s.Name == c.Name);
            return PodPhases.IsSidecar(c) ? status.Started != true : status.State.Terminated?.ExitCode != 0;
        }).Select(c => c.Name).ToList();
        // Once a regular container has run, the pod was initialized (its init containers may have been removed since).
        var initialized = incomplete.Count == 0 || containers.Any(c => c.State.Waiting is null || c.LastState?.Terminated is not null);
        var unready = containers.Where(c => !c.Ready).Select(c => c.Name).ToList();
        var (reason, message) = PodPhases.IsTerminal(phase) && phase == PodPhases.Succeeded
            ? ("PodCompleted", (string?)null)
            : unready.Count > 0 ? ("ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]") : (null, null);
        return
        [
            new PodConditionState("PodReadyToStartContainers", state.ReadySandbox is not null && state.PodIPs.Count > 0),
            new PodConditionState("Initialized", initialized, initialized ? null : "ContainersNotInitialized", initialized ? null : $"containers with incomplete status: [{string.Join(' ', incomplete)}]"),
            new PodConditionState("Ready", unready.Count == 0, reason, message),
            new PodConditionState("ContainersReady", unready.Count == 0, reason, message),
        ];
    }
}
