using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Stops a pod's containers and sandbox (kuberuntime_manager.go KillPod, kuberuntime_container.go killContainer):
/// each running container's preStop hook, then StopContainer with what is left of the grace period (SIGTERM, then
/// SIGKILL by the runtime), then the sandboxes; its volumes are torn down once nothing runs.
/// </summary>
internal sealed class PodTerminator
{
    /// <summary>Upstream's minimumGracePeriodInSeconds: a container always gets this long after its stop signal.</summary>
    public const long MinimumGraceSeconds = 2;

    private readonly IContainerRuntime _runtime;
    private readonly IVolumeManager _volumes;
    private readonly IProbeManager _probes;
    private readonly LifecycleHooks _hooks;
    private readonly PodEvents _events;
    private readonly TimeProvider _time;

    public PodTerminator(IContainerRuntime runtime, IVolumeManager volumes, IProbeManager probes, LifecycleHooks hooks, PodEvents events, TimeProvider time)
    {
        _runtime = runtime;
        _volumes = volumes;
        _probes = probes;
        _hooks = hooks;
        _events = events;
        _time = time;
    }

    /// <summary>The grace period in force: the deletion's, else the pod's terminationGracePeriodSeconds, else 30 s.</summary>
    public static long GracePeriodSeconds(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null && pod.Metadata.DeletionGracePeriodSeconds is { } deletion ? deletion : pod.Spec.TerminationGracePeriodSeconds ?? 30;

    /// <summary>Stops every running container of the pod in parallel, then its sandboxes.</summary>
    public async Task KillPodAsync(V1Pod pod, PodRuntimeState state, long graceSeconds, CancellationToken cancellationToken)
    {
        var all = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers).ToList();
        var podIP = state.PodIPs.Count > 0 ? state.PodIPs[0] : pod.Status?.PodIP ?? "";
        await Task.WhenAll(state.Running.Select(c => KillContainerAsync(pod, all.FirstOrDefault(s => s.Name == PodRuntimeState.NameOf(c)), c, podIP, graceSeconds, null, cancellationToken)));
        foreach (var sandbox in state.Sandboxes.Where(s => s.State == PodSandboxState.SandboxReady))
        {
            await _runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
        }
    }

    /// <summary>Runs the container's preStop hook, then stops it with what is left of <paramref name="graceSeconds"/>.</summary>
    public async Task KillContainerAsync(V1Pod pod, V1Container? spec, ContainerStatus container, string podIP, long graceSeconds, string? message, CancellationToken cancellationToken)
    {
        var name = PodRuntimeState.NameOf(container);
        if (spec is not null)
        {
            _events.Container(pod, spec, "Normal", "Killing", message ?? $"Stopping container {name}");
        }

        var started = _time.GetUtcNow();
        if (spec?.Lifecycle?.PreStop is { } preStop && graceSeconds > 0)
        {
            if (await _hooks.RunAsync(pod, spec, preStop, container.Id, podIP, TimeSpan.FromSeconds(graceSeconds), cancellationToken) is { } failure)
            {
                _events.Container(pod, spec, "Warning", "FailedPreStopHook", failure);
            }
        }

        var remaining = graceSeconds - (long)(_time.GetUtcNow() - started).TotalSeconds;
        _probes.ContainerStopped(container.Id);
        await _runtime.StopContainerAsync(container.Id, Math.Max(remaining, MinimumGraceSeconds), cancellationToken);
    }

    /// <summary>Tears down the pod's volumes and forgets its probes once nothing of it runs.</summary>
    public async Task CleanUpAsync(string podUid, CancellationToken cancellationToken)
    {
        _probes.RemovePod(podUid);
        await _volumes.UnmountAsync(podUid, cancellationToken);
    }
}
