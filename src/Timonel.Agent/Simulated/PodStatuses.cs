using System.Globalization;
using k8s.Models;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Simulated;

/// <summary>
/// The status a kubelet reports for a pod whose containers run, or have exited, as generateAPIPodStatus and the status
/// manager build it (pkg/kubelet/kubelet_pods.go, pkg/kubelet/status/generate.go): phase, IPs, start time, one status
/// per container, and the pod conditions in the kubelet's order. The QoS class is left as the API server set it.
/// </summary>
internal static class PodStatuses
{
    /// <summary>How the pod runs, from its readiness probes and the sim.timonel.io annotations, if it starts at <paramref name="startedAt"/>.</summary>
    public static PodRun Plan(V1Pod pod, DateTimeOffset startedAt)
    {
        var readyAfter = pod.Spec.Containers.Select(ReadinessDelay).DefaultIfEmpty(TimeSpan.Zero).Max();
        var annotations = pod.Metadata.Annotations;
        var runSeconds = Annotation(annotations, PodRun.RunSecondsAnnotation);
        var exitCode = Annotation(annotations, PodRun.ExitCodeAnnotation);
        // Only a pod that is not restarted forever finishes; restartPolicy Always would run its containers again.
        var finishes = pod.Spec.RestartPolicy is "Never" or "OnFailure" && (runSeconds is not null || exitCode is not null);
        return new PodRun(
            startedAt,
            startedAt + readyAfter,
            finishes ? startedAt + TimeSpan.FromSeconds(Math.Max(0, runSeconds ?? 0)) : null,
            (int)(exitCode ?? 0));
    }

    /// <summary>
    /// Running containers, each ready once its readiness probe's initial delay has passed, unless the pod's
    /// sim.timonel.io/ready annotation says the probes fail.
    /// </summary>
    public static V1PodStatus Running(V1Pod pod, PodRun run, string hostIp, string podIp, DateTimeOffset now)
    {
        var probesFail = pod.Metadata.Annotations?.TryGetValue(PodRun.ReadyAnnotation, out var text) == true && string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);
        var containers = pod.Spec.Containers.Select(c =>
        {
            var ready = !probesFail && run.StartedAt + ReadinessDelay(c) <= now;
            return Status(pod, c, Running(run), ready, started: true);
        }).ToList();
        var unready = containers.Where(c => !c.Ready).Select(c => c.Name).ToList();
        var (reason, message) = unready.Count == 0 ? (null, null) : ("ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        var conditions = PodConditions.Merge(pod.Status?.Conditions, now, new PodConditionState("PodReadyToStartContainers", true), new PodConditionState("Initialized", true), new PodConditionState("Ready", unready.Count == 0, reason, message), new PodConditionState("ContainersReady", unready.Count == 0, reason, message));
        return Common(pod, run, hostIp, podIp, "Running", containers, conditions);
    }

    /// <summary>
    /// Every container exited with <paramref name="exitCode"/> at <paramref name="finishedAt"/>: Succeeded for 0, else
    /// Failed (kubelet's getPhase for a terminal pod), the Ready conditions False with reason PodCompleted.
    /// </summary>
    public static V1PodStatus Terminated(V1Pod pod, PodRun run, string hostIp, string podIp, int exitCode, DateTimeOffset finishedAt)
    {
        var terminated = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = exitCode,
                StartedAt = ApiTime.Seconds(run.StartedAt),
                FinishedAt = ApiTime.Seconds(finishedAt),
                Reason = exitCode == 0 ? "Completed" : "Error",
            },
        };
        var containers = pod.Spec.Containers.Select(c => Status(pod, c, terminated, ready: false, started: false)).ToList();
        var conditions = PodConditions.Merge(pod.Status?.Conditions, finishedAt, new PodConditionState("PodReadyToStartContainers", false), new PodConditionState("Initialized", true), new PodConditionState("Ready", false, "PodCompleted", null), new PodConditionState("ContainersReady", false, "PodCompleted", null));
        return Common(pod, run, hostIp, podIp, exitCode == 0 ? "Succeeded" : "Failed", containers, conditions);
    }

    private static V1PodStatus Common(V1Pod pod, PodRun run, string hostIp, string podIp, string phase, List<V1ContainerStatus> containers, List<V1PodCondition> conditions)
    {
        foreach (var status in containers)
        {
            status.State.Terminated?.ContainerID = status.ContainerID;
        }

        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = hostIp,
            HostIPs = [new V1HostIP { Ip = hostIp }],
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            StartTime = ApiTime.Seconds(run.StartedAt),
            InitContainerStatuses = pod.Spec.InitContainers?.Select(c => InitStatus(pod, c, run)).ToList(),
            ContainerStatuses = containers,
            QosClass = pod.Status?.QosClass,
        };
    }

    // An init container ran to completion before the containers started; a sidecar (restartPolicy Always) keeps running.
    private static V1ContainerStatus InitStatus(V1Pod pod, V1Container container, PodRun run)
    {
        if (container.RestartPolicy == "Always")
        {
            return Status(pod, container, Running(run), ready: true, started: true);
        }

        var completed = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = 0,
                ContainerID = ContainerIdentity.ContainerId(pod.Metadata.Uid, container.Name),
                StartedAt = ApiTime.Seconds(run.StartedAt),
                FinishedAt = ApiTime.Seconds(run.StartedAt),
                Reason = "Completed",
            },
        };
        return Status(pod, container, completed, ready: true, started: false);
    }

    private static V1ContainerState Running(PodRun run) => new() { Running = new V1ContainerStateRunning { StartedAt = ApiTime.Seconds(run.StartedAt) } };

    private static V1ContainerStatus Status(V1Pod pod, V1Container container, V1ContainerState state, bool ready, bool started) => new()
    {
        Name = container.Name,
        Image = ContainerIdentity.Image(container.Image ?? ""),
        ImageID = ContainerIdentity.ImageId(container.Image ?? ""),
        ContainerID = ContainerIdentity.ContainerId(pod.Metadata.Uid, container.Name),
        Ready = ready,
        Started = started,
        RestartCount = 0,
        State = state,
        LastState = new V1ContainerState(),
    };

    /// <summary>How long after start a container becomes ready: its readiness probe's initialDelaySeconds (the probe then succeeds at once).</summary>
    public static TimeSpan ReadinessDelay(V1Container container) => TimeSpan.FromSeconds(container.ReadinessProbe?.InitialDelaySeconds ?? 0);

    private static long? Annotation(IDictionary<string, string>? annotations, string key) =>
        annotations is not null && annotations.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
