using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Status;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// One sync of one pod (kubelet.go SyncPod, kuberuntime_manager.go computePodActions and SyncPod): admission,
/// volumes, the sandbox (created again when it died), init containers in order, then the containers, each restarted
/// per the restartPolicy with back-off; then its status. A deleted pod, or one that finished, is terminated instead
/// (SyncTerminatingPod): containers stopped with the grace period, sandbox stopped, volumes torn down, final delete.
/// </summary>
internal sealed class PodSyncer
{
    /// <summary>How soon a pod whose volumes, sandbox or container config could not be set up tries again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);

    private readonly IContainerRuntime _runtime;
    private readonly ISandboxConfigFactory _sandboxes;
    private readonly IVolumeManager _volumes;
    private readonly IProbeManager _probes;
    private readonly ContainerStarter _starter;
    private readonly PodTerminator _terminator;
    private readonly PodStatusGenerator _statuses;
    private readonly PodStatusManager _statusManager;
    private readonly Backoff _backoff;
    private readonly PodEvents _events;
    private readonly KubeletNodeContext _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PodSyncer(
        IContainerRuntime runtime,
        ISandboxConfigFactory sandboxes,
        IVolumeManager volumes,
        IProbeManager probes,
        ContainerStarter starter,
        PodTerminator terminator,
        PodStatusGenerator statuses,
        PodStatusManager statusManager,
        Backoff backoff,
        PodEvents events,
        KubeletNodeContext node,
        TimeProvider time,
        ILogger logger)
    {
        _runtime = runtime;
        _sandboxes = sandboxes;
        _volumes = volumes;
        _probes = probes;
        _starter = starter;
        _terminator = terminator;
        _statuses = statuses;
        _statusManager = statusManager;
        _backoff = backoff;
        _events = events;
        _node = node;
        _time = time;
        _logger = logger;
    }

    /// <param name="record">The pod's record.</param>
    /// <param name="admitted">The pods admitted so far that still run (for the resource fit).</param>
    public async Task SyncAsync(PodRecord record, IEnumerable<V1Pod> admitted, CancellationToken cancellationToken)
    {
        record.WakeAt = null;
        var pod = record.Pod;
        if (record.Terminated)
        {
            // A pod that finished, or was rejected, is removed from the API server once deleted.
            if (pod.Metadata.DeletionTimestamp is not null && !record.Removed && !record.DeleteSent)
            {
                await _statusManager.DeleteAsync(pod, cancellationToken);
                record.DeleteSent = true;
            }

            return;
        }

        if (!record.Admitted)
        {
            if (PodPhases.IsTerminal(pod.Status?.Phase))
            {
                // Finished before this kubelet saw it (e.g. before a restart): nothing runs again.
                await TerminateAsync(record, cancellationToken);
                return;
            }

            if (pod.Metadata.DeletionTimestamp is null && !record.Removed && PodAdmission.Check(pod, admitted, _node.Allocatable) is { } rejection)
            {
                _events.Pod(pod, "Warning", rejection.Reason, rejection.Message);
                await _statusManager.SetAsync(pod, PodStatusGenerator.Rejected(pod, rejection.Reason, rejection.Message, _node.HostIP, _time.GetUtcNow()), cancellationToken);
                record.Terminated = true;
                return;
            }

            record.Admitted = true;
            record.StartTime = pod.Status?.StartTime is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : _time.GetUtcNow();
        }

        if (pod.Metadata.DeletionTimestamp is not null || record.Removed)
        {
            await TerminateAsync(record, cancellationToken);
            return;
        }

        record.Waiting.Clear();
        var state = await PodRuntimeState.ReadAsync(_runtime, record.Uid, cancellationToken);
        if (await MountAsync(record, cancellationToken) && await EnsureSandboxAsync(record, state, cancellationToken) is { } sandbox)
        {
            state = await PodRuntimeState.ReadAsync(_runtime, record.Uid, cancellationToken);
            var context = new ContainerContext(0, _node.PodDirectory(record.Uid), state.PodIPs, _node.HostIP, record.Volumes!);
            if (await SyncInitContainersAsync(record, state, sandbox, context, cancellationToken))
            {
                foreach (var container in pod.Spec.Containers)
                {
                    await SyncContainerAsync(record, state, container, sandbox, context, restartAlways: false, cancellationToken);
                }
            }

            state = await PodRuntimeState.ReadAsync(_runtime, record.Uid, cancellationToken);
            TrackProbes(record, state);
        }

        var status = Generate(record, state, podIsTerminal: false);
        if (PodPhases.IsTerminal(status.Phase) || RegularContainersDone(pod, state))
        {
            // Finished (restartPolicy Never or OnFailure): stop what still runs (sidecars), then the final status.
            await TerminateAsync(record, cancellationToken);
            return;
        }

        await _statusManager.SetAsync(pod, status, cancellationToken);
    }

    /// <summary>Stops everything of the pod and writes its final status; a deleted pod is then removed from the API server.</summary>
    public async Task TerminateAsync(PodRecord record, CancellationToken cancellationToken)
    {
        var pod = record.Pod;
        var state = await PodRuntimeState.ReadAsync(_runtime, record.Uid, cancellationToken);
        await _terminator.KillPodAsync(pod, state, PodTerminator.GracePeriodSeconds(pod), cancellationToken);
        await _terminator.CleanUpAsync(record.Uid, cancellationToken);
        record.Waiting.Clear();
        record.Terminated = true;
        _backoff.Forget(record.Uid + "/");
        if (record.Removed)
        {
            _statusManager.Forget(record.Uid);
            return;
        }

        if (record.Admitted)
        {
            state = await PodRuntimeState.ReadAsync(_runtime, record.Uid, cancellationToken);
            await _statusManager.SetAsync(pod, Generate(record, state, podIsTerminal: true), cancellationToken);
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await _statusManager.DeleteAsync(pod, cancellationToken);
            record.DeleteSent = true;
        }
    }

    /// <summary>
    /// Tells the prober of every running container it does not probe yet (started now, or found running after the
    /// kubelet restarted) and of every one that has exited since.
    /// </summary>
    private void TrackProbes(PodRecord record, PodRuntimeState state)
    {
        var podIP = state.PodIPs.Count > 0 ? state.PodIPs[0] : "";
        foreach (var container in state.Containers)
        {
            if (container.State == ContainerState.ContainerRunning && record.Probed.Add(container.Id))
            {
                _probes.ContainerStarted(record.Pod, PodRuntimeState.NameOf(container), container.Id, podIP, PodRuntimeState.Time(container.StartedAt));
            }
            else if (container.State != ContainerState.ContainerRunning && record.Probed.Remove(container.Id))
            {
                _probes.ContainerStopped(container.Id);
            }
        }
    }

    private V1PodStatus Generate(PodRecord record, PodRuntimeState state, bool podIsTerminal) =>
        _statuses.Generate(record.Pod, state, record.Waiting, _statusManager.Last(record.Pod), _node.HostIP, record.StartTime, _time.GetUtcNow(), podIsTerminal);

    private async Task<bool> MountAsync(PodRecord record, CancellationToken cancellationToken)
    {
        if (record.Volumes is not null)
        {
            return true;
        }

        try
        {
            record.Volumes = await _volumes.MountAsync(record.Pod, cancellationToken);
            return true;
        }
        catch (VolumeSetupException ex)
        {
            _events.Pod(record.Pod, "Warning", "FailedMount", $"MountVolume.SetUp failed for volume \"{ex.Volume}\" : {ex.Message}");
            record.WakeNoLaterThan(_time.GetUtcNow() + RetryInterval);
            return false;
        }
    }

    /// <summary>The ready sandbox's id, creating one (again) when there is none; null when that failed.</summary>
    private async Task<string?> EnsureSandboxAsync(PodRecord record, PodRuntimeState state, CancellationToken cancellationToken)
    {
        var pod = record.Pod;
        if (state.ReadySandbox is { } ready)
        {
            record.SandboxConfig ??= Label(_sandboxes.Create(pod, ready.Metadata?.Attempt ?? 0), pod);
            return ready.Id;
        }

        if (state.Sandboxes.Count > 0)
        {
            if (!WillRunAgain(pod, state))
            {
                return null;
            }

            _events.Pod(pod, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
            await _terminator.KillPodAsync(pod, state, PodTerminator.GracePeriodSeconds(pod), cancellationToken);
        }

        var config = Label(_sandboxes.Create(pod, (uint)state.Sandboxes.Count), pod);
        try
        {
            var id = await _runtime.RunPodSandboxAsync(config, _node.RuntimeHandler, cancellationToken);
            record.SandboxConfig = config;
            return id;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("creating the sandbox of pod {Namespace}/{Name} failed: {Error}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, ex.Message);
            _events.Pod(pod, "Warning", "FailedCreatePodSandBox", $"Failed to create pod sandbox: {RuntimeErrors.Message(ex)}");
            record.WakeNoLaterThan(_time.GetUtcNow() + RetryInterval);
            return null;
        }
    }

    /// <summary>
    /// Whether every regular container exited for good (restartPolicy Never, or OnFailure and success): the pod is
    /// done, and its sidecars are stopped rather than kept running.
    /// </summary>
    private static bool RegularContainersDone(V1Pod pod, PodRuntimeState state) =>
        pod.Spec.RestartPolicy is "Never" or "OnFailure"
        && pod.Spec.Containers.All(c => state.Latest(c.Name) is { State: ContainerState.ContainerExited } latest && (pod.Spec.RestartPolicy == "Never" || latest.ExitCode == 0));

    // A pod whose sandbox died gets a new one unless restartPolicy Never and every container already ran.
    private static bool WillRunAgain(V1Pod pod, PodRuntimeState state) =>
        pod.Spec.RestartPolicy != "Never" || pod.Spec.Containers.Any(c => state.Latest(c.Name) is null);

    private static PodSandboxConfig Label(PodSandboxConfig config, V1Pod pod)
    {
        config.Labels[KubeletLabels.PodUid] = pod.Metadata.Uid;
        config.Labels[KubeletLabels.PodName] = pod.Metadata.Name;
        config.Labels[KubeletLabels.PodNamespace] = pod.Metadata.NamespaceProperty;
        return config;
    }

    /// <summary>Runs the init containers in order, one at a time, sidecars kept running; answers whether all are done.</summary>
    private async Task<bool> SyncInitContainersAsync(PodRecord record, PodRuntimeState state, string sandbox, ContainerContext context, CancellationToken cancellationToken)
    {
        foreach (var container in record.Pod.Spec.InitContainers ?? [])
        {
            if (PodPhases.IsSidecar(container))
            {
                await SyncContainerAsync(record, state, container, sandbox, context, restartAlways: true, cancellationToken);
                continue;
            }

            var latest = state.Latest(container.Name);
            if (latest is { State: ContainerState.ContainerExited, ExitCode: 0 })
            {
                continue;
            }

            if (latest is not { State: ContainerState.ContainerExited } || record.Pod.Spec.RestartPolicy != "Never")
            {
                await SyncContainerAsync(record, state, container, sandbox, context, restartAlways: true, cancellationToken);
            }

            return false;
        }

        return true;
    }

    /// <summary>Leaves a running container be (unless a probe failed), starts a missing one, restarts an exited one per policy.</summary>
    private async Task SyncContainerAsync(PodRecord record, PodRuntimeState state, V1Container container, string sandbox, ContainerContext context, bool restartAlways, CancellationToken cancellationToken)
    {
        var pod = record.Pod;
        var latest = state.Latest(container.Name);
        if (latest is { State: ContainerState.ContainerRunning })
        {
            if (_probes.Failure(latest.Id) is not { } failure)
            {
                return;
            }

            var message = $"Container {container.Name} failed {failure.ProbeType.ToLowerInvariant()} probe, will be restarted";
            await _terminator.KillContainerAsync(pod, container, latest, context.PodIPs.Count > 0 ? context.PodIPs[0] : "", PodTerminator.GracePeriodSeconds(pod), message, cancellationToken);
            latest = await _runtime.ContainerStatusAsync(latest.Id, cancellationToken) ?? latest;
        }

        if (latest is { State: ContainerState.ContainerExited })
        {
            var restart = restartAlways || pod.Spec.RestartPolicy is null or "Always" || (pod.Spec.RestartPolicy == "OnFailure" && latest.ExitCode != 0);
            if (!restart || InBackOff(record, container, latest))
            {
                return;
            }
        }

        var attempt = latest is null ? 0u : (uint)PodRuntimeState.RestartCount(latest) + (latest.State == ContainerState.ContainerCreated ? 0u : 1u);
        if (latest is { State: ContainerState.ContainerCreated })
        {
            // Created but never started (the kubelet stopped in between): replace it.
            await _runtime.RemoveContainerAsync(latest.Id, cancellationToken);
        }

        if (await _starter.StartAsync(pod, container, sandbox, record.SandboxConfig!, context with { Attempt = attempt }, cancellationToken) is { } waiting)
        {
            record.Waiting[container.Name] = waiting;
            var retry = waiting.Reason is "ErrImagePull" or "ImagePullBackOff"
                ? _backoff.Until(ImagePuller.BackoffKey(pod, container.Image ?? ""))
                : _time.GetUtcNow() + RetryInterval;
            record.WakeNoLaterThan(retry);
        }
    }

    /// <summary>Whether an exited container must wait before its restart (CrashLoopBackOff); else counts the restart.</summary>
    private bool InBackOff(PodRecord record, V1Container container, ContainerStatus latest)
    {
        var pod = record.Pod;
        var key = $"{record.Uid}/container/{container.Name}";
        var finished = PodRuntimeState.Time(latest.FinishedAt);
        if (_backoff.IsInBackOffSince(key, finished))
        {
            var delay = _backoff.Delay(key);
            var who = $"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
            record.Waiting[container.Name] = new ContainerWaiting("CrashLoopBackOff", $"back-off {GoDuration.Format(delay)} restarting failed container={container.Name} pod={who}");
            _events.Container(pod, container, "Warning", "BackOff", $"Back-off restarting failed container {container.Name} in pod {who}");
            record.WakeNoLaterThan(finished + delay);
            return true;
        }

        _backoff.Next(key, finished);
        return false;
    }
}
