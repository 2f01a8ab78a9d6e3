using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Simulated;

/// <summary>
/// What a kubelet reports for the pods bound to its nodes, without running anything: a new pod gets an address from
/// its node's /24 and goes Running; its containers become ready after their readiness probes' initial delay; a pod
/// that is not restarted forever exits when its sim.timonel.io/run-seconds are up; a pod being deleted has its
/// containers reported stopped and is then removed with grace period 0 (the status manager's last step).
/// </summary>
internal sealed class PodLifecycle
{
    private static readonly TimeSpan _retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _noAddressRetry = TimeSpan.FromSeconds(10);
    private readonly INodeAgentApi _api;
    private readonly IReadOnlyDictionary<string, SimulatedNode> _nodes;
    private readonly DueWorkRunner<SimulatedWork> _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContainerEvents _events;
    private readonly ConcurrentDictionary<string, SimulatedPod> _pods = new(StringComparer.Ordinal);

    public PodLifecycle(INodeAgentApi api, IReadOnlyDictionary<string, SimulatedNode> nodes, DueWorkRunner<SimulatedWork> runner, ContainerEvents events, TimeProvider time, ILogger logger)
    {
        _api = api;
        _events = events;
        _nodes = nodes;
        _runner = runner;
        _time = time;
        _logger = logger;
    }

    public int Count => _pods.Count;

    /// <summary>A pod was added or changed (an informer event): sync it if it is on one of this agent's nodes.</summary>
    public void Changed(V1Pod pod)
    {
        if (pod.Spec?.NodeName is not { } nodeName || !_nodes.TryGetValue(nodeName, out var node))
        {
            return;
        }

        var key = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        var tracked = _pods.AddOrUpdate(
            key,
            _ => new SimulatedPod(pod, node),
            (_, existing) =>
            {
                if (existing.Uid == pod.Metadata.Uid)
                {
                    existing.Latest = pod;
                    return existing;
                }

                Forget(existing);
                return new SimulatedPod(pod, node);
            });
        _runner.ScheduleNow(new SimulatedWork(SimulatedWorkKind.SyncPod, Pod: tracked));
    }

    /// <summary>A pod was removed from the API server: its address is free again.</summary>
    public void Removed(V1Pod pod)
    {
        var key = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        if (_pods.TryGetValue(key, out var tracked) && tracked.Uid == pod.Metadata.Uid && _pods.TryRemove(new KeyValuePair<string, SimulatedPod>(key, tracked)))
        {
            Forget(tracked);
        }
    }

    public async Task SyncAsync(SimulatedPod pod, CancellationToken cancellationToken)
    {
        if (!pod.TryEnterSync())
        {
            pod.SyncAgain = true;
            return;
        }

        try
        {
            do
            {
                pod.SyncAgain = false;
                await SyncOnceAsync(pod, cancellationToken);
            }
            while (pod.SyncAgain);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug("syncing pod {Pod} failed, retrying: {Error}", pod.Key, ex.Message);
            _runner.Schedule(new SimulatedWork(SimulatedWorkKind.SyncPod, Pod: pod), _time.GetUtcNow() + _retry);
        }
        finally
        {
            pod.ExitSync();
        }

        if (pod.SyncAgain)
        {
            _runner.ScheduleNow(new SimulatedWork(SimulatedWorkKind.SyncPod, Pod: pod));
        }
    }

    private async Task SyncOnceAsync(SimulatedPod pod, CancellationToken cancellationToken)
    {
        var latest = pod.Latest;
        var now = _time.GetUtcNow();
        if (pod.Stage == PodStage.Deleted)
        {
            return;
        }

        if (latest.Metadata.DeletionTimestamp is not null)
        {
            await TerminateAsync(pod, latest, now, cancellationToken);
            return;
        }

        if (pod.Stage == PodStage.Pending && !Adopt(pod, latest) && !await StartAsync(pod, latest, now, cancellationToken))
        {
            return;
        }

        if (pod.Stage != PodStage.Running || pod.Run is not { } run)
        {
            return;
        }

        if (run.FinishAt is { } finishAt && finishAt <= now)
        {
            await _api.PatchPodStatusAsync(latest, PodStatuses.Terminated(latest, run, pod.Node.InternalIp, pod.PodIp!, run.ExitCode, finishAt), cancellationToken);
            pod.Stage = PodStage.Finished;
            ReleaseAddress(pod);
            return;
        }

        var status = PodStatuses.Running(latest, run, pod.Node.InternalIp, pod.PodIp!, now);
        var ready = status.ContainerStatuses.Count(c => c.Ready);
        if (ready != pod.ReadyReported)
        {
            await _api.PatchPodStatusAsync(latest, status, cancellationToken);
            pod.ReadyReported = ready;
        }

        if (NextChange(latest, run, now) is { } next)
        {
            _runner.Schedule(new SimulatedWork(SimulatedWorkKind.SyncPod, Pod: pod), next);
        }
    }

    /// <summary>Takes over a pod already reported (the agent restarted): its address and start time stay.</summary>
    private bool Adopt(SimulatedPod pod, V1Pod latest)
    {
        switch (latest.Status?.Phase)
        {
            case "Succeeded" or "Failed":
                pod.Stage = PodStage.Finished;
                return true;
            case "Running" when latest.Status.StartTime is { } started && latest.Status.PodIP is { } ip:
                pod.Run = PodStatuses.Plan(latest, new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)));
                pod.PodIp = ip;
                if (!IsHostNetwork(latest) && OffsetIn(pod.Node, ip) is { } offset)
                {
                    pod.IpOffset = offset;
                    pod.Node.PodIps.Reserve(offset);
                }

                pod.ReadyReported = latest.Status.ContainerStatuses?.Count(c => c.Ready) ?? 0;
                pod.Stage = PodStage.Running;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Starts a new pod: an address, then Running. False if no address is free (retried later, as CNI would fail).</summary>
    private async Task<bool> StartAsync(SimulatedPod pod, V1Pod latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (pod.PodIp is null)
        {
            if (IsHostNetwork(latest))
            {
                pod.PodIp = pod.Node.InternalIp;
            }
            else if (pod.Node.PodIps.Allocate() is { } offset)
            {
                pod.IpOffset = offset;
                pod.PodIp = pod.Node.PodIp(offset);
            }
            else
            {
                // The CNI host-local plugin's words when a range is exhausted.
                _logger.LogWarning("pod {Pod}: failed to allocate for range 0: no IP addresses available in range set: {Cidr}", pod.Key, pod.Node.PodCidr);
                _runner.Schedule(new SimulatedWork(SimulatedWorkKind.SyncPod, Pod: pod), now + _noAddressRetry);
                return false;
            }
        }

        var run = pod.Run ??= PodStatuses.Plan(latest, now);
        var status = PodStatuses.Running(latest, run, pod.Node.InternalIp, pod.PodIp, now);
        await _api.PatchPodStatusAsync(latest, status, cancellationToken);
        pod.ReadyReported = status.ContainerStatuses.Count(c => c.Ready);
        pod.Stage = PodStage.Running;
        _events.Started(latest, pod.Node.Name);
        return true;
    }

    // The containers stop (reported exited 0 at once: nothing runs to wait for), then the pod is removed.
    private async Task TerminateAsync(SimulatedPod pod, V1Pod latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (pod.Stage == PodStage.Running && pod.Run is { } run && pod.PodIp is { } ip)
        {
            _events.Killing(latest, pod.Node.Name);
            await _api.PatchPodStatusAsync(latest, PodStatuses.Terminated(latest, run, pod.Node.InternalIp, ip, 0, now), cancellationToken);
            pod.Stage = PodStage.Finished;
        }

        await _api.DeletePodAsync(latest, cancellationToken);
        pod.Stage = PodStage.Deleted;
        ReleaseAddress(pod);
    }

    private void Forget(SimulatedPod pod)
    {
        pod.Stage = PodStage.Deleted;
        ReleaseAddress(pod);
    }

    private static void ReleaseAddress(SimulatedPod pod)
    {
        if (pod.IpOffset is { } offset)
        {
            pod.Node.PodIps.Release(offset);
            pod.IpOffset = null;
        }
    }

    /// <summary>The next time a container becomes ready or the pod exits.</summary>
    private static DateTimeOffset? NextChange(V1Pod pod, PodRun run, DateTimeOffset now)
    {
        var times = pod.Spec.Containers.Select(c => run.StartedAt + PodStatuses.ReadinessDelay(c)).Where(t => t > now).ToList();
        if (run.FinishAt is { } finishAt && finishAt > now)
        {
            times.Add(finishAt);
        }

        return times.Count > 0 ? times.Min() : null;
    }

    private static bool IsHostNetwork(V1Pod pod) => pod.Spec.HostNetwork == true;

    private static int? OffsetIn(SimulatedNode node, string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return value - node.PodRange is var offset and < 256 ? (int)offset : null;
    }
}
