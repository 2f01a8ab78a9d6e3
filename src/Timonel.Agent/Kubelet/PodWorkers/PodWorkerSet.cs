using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// One worker per pod uid (pod_workers.go): each runs its pod's syncs one after another, woken by a new version of
/// the pod, a runtime event, a probe result, its back-off ending or the periodic resync. A worker ends once its pod
/// is gone from the API server and nothing of it runs.
/// </summary>
internal sealed class PodWorkerSet : IAsyncDisposable
{
    private readonly PodSyncer _syncer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _resync;
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public PodWorkerSet(PodSyncer syncer, TimeProvider time, ILogger logger, TimeSpan resync)
    {
        _syncer = syncer;
        _time = time;
        _logger = logger;
        _resync = resync;
    }

    /// <summary>The uids of the pods that have a worker.</summary>
    public IReadOnlyCollection<string> PodUids => [.. _workers.Keys];

    /// <summary>A new or changed pod from the informer.</summary>
    public void Update(V1Pod pod)
    {
        var worker = _workers.GetOrAdd(pod.Metadata.Uid, _ => new PodWorker(new PodRecord(pod)));
        worker.Record.Pod = pod;
        Ensure(worker).Signal();
    }

    /// <summary>A pod deleted from the API server.</summary>
    public void Remove(V1Pod pod)
    {
        if (_workers.TryGetValue(pod.Metadata.Uid, out var worker))
        {
            worker.Record.Removed = true;
            worker.Signal();
        }
    }

    /// <summary>Syncs the pod soon (a runtime event or probe result).</summary>
    public void Wake(string podUid)
    {
        if (_workers.TryGetValue(podUid, out var worker))
        {
            worker.Signal();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_workers.Values.Select(w => w.Loop ?? Task.CompletedTask));
        foreach (var worker in _workers.Values)
        {
            worker.Dispose();
        }

        _stopping.Dispose();
    }

    private IEnumerable<V1Pod> Admitted() => _workers.Values.Select(w => w.Record).Where(r => r.Admitted && !r.Terminated).Select(r => r.Pod);

    private PodWorker Ensure(PodWorker worker)
    {
        lock (worker)
        {
            worker.Loop ??= Task.Run(() => RunAsync(worker, _stopping.Token));
        }

        return worker;
    }

    private async Task RunAsync(PodWorker worker, CancellationToken cancellationToken)
    {
        var record = worker.Record;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _syncer.SyncAsync(record, Admitted(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "syncing pod {Namespace}/{Name} failed", record.Pod.Metadata.NamespaceProperty, record.Pod.Metadata.Name);
                record.WakeNoLaterThan(_time.GetUtcNow() + PodSyncer.RetryInterval);
            }

            if (record.Terminated && record.Removed)
            {
                _workers.TryRemove(record.Uid, out _);
                worker.Dispose();
                return;
            }

            var delay = record.Terminated ? Timeout.InfiniteTimeSpan : _resync;
            if (record.WakeAt is { } wake)
            {
                delay = TimeSpan.FromTicks(Math.Max(0, Math.Min((wake - _time.GetUtcNow()).Ticks, delay == Timeout.InfiniteTimeSpan ? long.MaxValue : delay.Ticks)));
            }

            try
            {
                await worker.WaitAsync(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
