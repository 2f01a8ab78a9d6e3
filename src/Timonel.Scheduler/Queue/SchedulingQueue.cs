using k8s;
using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Queue;

/// <summary>
/// The pods waiting for a node (upstream internal/queue/scheduling_queue.go PriorityQueue): activeQ, ordered by the
/// queue sort plugin, feeds the scheduling cycles; backoffQ holds pods that failed until their backoff (1 s doubling
/// per attempt, at most 10 s) ends; unschedulable pods are parked until a cluster event one of their rejecting
/// plugins registered could make them fit, or for at most 5 minutes.
/// </summary>
internal sealed class SchedulingQueue : IDisposable
{
    /// <summary>upstream DefaultPodInitialBackoffDuration.</summary>
    public static readonly TimeSpan DefaultPodInitialBackoffDuration = TimeSpan.FromSeconds(1);

    /// <summary>upstream DefaultPodMaxBackoffDuration.</summary>
    public static readonly TimeSpan DefaultPodMaxBackoffDuration = TimeSpan.FromSeconds(10);

    /// <summary>upstream DefaultPodMaxInUnschedulablePodsDuration.</summary>
    public static readonly TimeSpan DefaultPodMaxInUnschedulablePodsDuration = TimeSpan.FromMinutes(5);

    /// <summary>How often backoffQ and the unschedulable pods are checked (upstream's Run: 1 s and 30 s).</summary>
    private static readonly TimeSpan _backoffFlushPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _unschedulableFlushPeriod = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> _pluginEvents;
    private readonly TimeSpan _initialBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeSpan _maxInUnschedulable;
    private readonly Heap<QueuedPodInfo> _activeQ;
    private readonly Heap<QueuedPodInfo> _backoffQ;
    private readonly Dictionary<string, QueuedPodInfo> _unschedulablePods = new(StringComparer.Ordinal);
    private readonly List<ITimer> _timers = [];
    private readonly PodNominator _nominator;
    private TaskCompletionSource? _waiter;
    private long _moveRequestCycle = -1;
    private bool _closed;

    public SchedulingQueue(
        IQueueSortPlugin sort,
        IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> pluginEvents,
        TimeProvider time,
        TimeSpan? initialBackoff = null,
        TimeSpan? maxBackoff = null,
        TimeSpan? maxInUnschedulable = null,
        PodNominator? nominator = null)
    {
        _time = time;
        _nominator = nominator ?? new PodNominator();
        _pluginEvents = pluginEvents;
        _initialBackoff = initialBackoff ?? DefaultPodInitialBackoffDuration;
        _maxBackoff = maxBackoff ?? DefaultPodMaxBackoffDuration;
        _maxInUnschedulable = maxInUnschedulable ?? DefaultPodMaxInUnschedulablePodsDuration;
        _activeQ = new(p => p.Key, sort.Less);
        _backoffQ = new(p => p.Key, (a, b) => BackoffTime(a) < BackoffTime(b));
    }

    /// <summary>Incremented by every Pop: the cycle a failure belongs to.</summary>
    public long SchedulingCycle { get; private set; }

    public (int Active, int Backoff, int Unschedulable) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_activeQ.Count, _backoffQ.Count, _unschedulablePods.Count);
            }
        }
    }

    /// <summary>Starts the periodic flushes of backoffQ (every second) and of pods parked too long (every 30 s).</summary>
    public void Run()
    {
        _timers.Add(_time.CreateTimer(_ => FlushBackoffQCompleted(), null, _backoffFlushPeriod, _backoffFlushPeriod));
        _timers.Add(_time.CreateTimer(_ => FlushUnschedulablePodsLeftover(), null, _unschedulableFlushPeriod, _unschedulableFlushPeriod));
    }

    /// <summary>A new pending pod: straight to activeQ.</summary>
    public void Add(V1Pod pod) => Add(pod, null);

    private void Add(V1Pod pod, V1Pod? oldPod)
    {
        lock (_lock)
        {
            var info = new QueuedPodInfo(new PodInfo(pod), _time.GetUtcNow());
            _unschedulablePods.Remove(info.Key);
            _backoffQ.Remove(info.Key);
            var added = _activeQ.Get(info.Key) is { } existing ? Updated(existing, pod) : info;
            _activeQ.AddOrUpdate(added);
            if (oldPod is null)
            {
                _nominator.Add(added.PodInfo);
            }
            else
            {
                _nominator.Update(oldPod, added.PodInfo);
            }

            Signal();
        }
    }

    /// <summary>
    /// A pod that failed its cycle: to backoffQ after an error, or when a move request came during its cycle
    /// (something changed that could make it fit); otherwise parked with the unschedulable pods.
    /// </summary>
    public void AddUnschedulableIfNotPresent(QueuedPodInfo info, long podSchedulingCycle)
    {
        lock (_lock)
        {
            if (_activeQ.Contains(info.Key) || _backoffQ.Contains(info.Key) || _unschedulablePods.ContainsKey(info.Key))
            {
                return;
            }

            info.Timestamp = _time.GetUtcNow();
            _nominator.Add(info.PodInfo);
            if (info.UnschedulablePlugins.Count == 0 || _moveRequestCycle >= podSchedulingCycle)
            {
                _backoffQ.AddOrUpdate(info);
            }
            else
            {
                _unschedulablePods[info.Key] = info;
            }
        }
    }

    /// <summary>The next pod to schedule, waiting until there is one; null once the queue is closed.</summary>
    public async Task<QueuedPodInfo?> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_activeQ.Pop() is { } info)
                {
                    info.Attempts++;
                    SchedulingCycle++;
                    return info;
                }

                if (_closed)
                {
                    return null;
                }

                wait = (_waiter ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A pending pod changed: updated where it waits; a parked pod whose spec changed may fit now, so it moves.</summary>
    public void Update(V1Pod oldPod, V1Pod newPod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(newPod);
            if (_activeQ.Get(key) is { } active)
            {
                _activeQ.AddOrUpdate(Updated(active, newPod));
                _nominator.Update(oldPod, active.PodInfo);
                return;
            }

            if (_backoffQ.Get(key) is { } backingOff)
            {
                _backoffQ.AddOrUpdate(Updated(backingOff, newPod));
                _nominator.Update(oldPod, backingOff.PodInfo);
                return;
            }

            if (_unschedulablePods.TryGetValue(key, out var parked))
            {
                var updated = Updated(parked, newPod);
                _nominator.Update(oldPod, updated.PodInfo);
                if (IsPodUpdated(oldPod, newPod))
                {
                    _unschedulablePods.Remove(key);
                    Requeue(updated);
                }
                else
                {
                    _unschedulablePods[key] = updated;
                }

                return;
            }
        }

        Add(newPod, oldPod);
    }

    public void Delete(V1Pod pod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(pod);
            _activeQ.Remove(key);
            _backoffQ.Remove(key);
            _unschedulablePods.Remove(key);
            _nominator.Delete(pod);
        }
    }

    /// <summary>
    /// Moves the parked pods that <paramref name="ev"/> could make fit (one of their rejecting plugins registered it)
    /// to activeQ, or to backoffQ while they back off; pods in a cycle now will go to backoffQ when they fail.
    /// </summary>
    public void MoveAllToActiveOrBackoffQueue(ClusterEvent ev)
    {
        lock (_lock)
        {
            foreach (var info in _unschedulablePods.Values.Where(p => PodMatchesEvent(p, ev)).ToList())
            {
                _unschedulablePods.Remove(info.Key);
                Requeue(info);
            }

            _moveRequestCycle = SchedulingCycle;
        }
    }

    /// <summary>Moves the pods whose backoff ended to activeQ (upstream flushBackoffQCompleted).</summary>
    public void FlushBackoffQCompleted()
    {
        lock (_lock)
        {
            var moved = false;
            while (_backoffQ.Peek() is { } head && !IsPodBackingOff(head))
            {
                _backoffQ.Pop();
                _activeQ.AddOrUpdate(head);
                moved = true;
            }

            if (moved)
            {
                Signal();
            }
        }
    }

    /// <summary>Moves the pods parked longer than podMaxInUnschedulablePodsDuration (upstream flushUnschedulablePodsLeftover).</summary>
    public void FlushUnschedulablePodsLeftover()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var info in _unschedulablePods.Values.Where(p => now - p.Timestamp > _maxInUnschedulable).ToList())
            {
                _unschedulablePods.Remove(info.Key);
                Requeue(info);
            }
        }
    }

    /// <summary>Where the pod waits now: "active", "backoff", "unschedulable", or null.</summary>
    public string? Where(string key)
    {
        lock (_lock)
        {
            return _activeQ.Contains(key) ? "active" : _backoffQ.Contains(key) ? "backoff" : _unschedulablePods.ContainsKey(key) ? "unschedulable" : null;
        }
    }

    /// <summary>Ends every waiting and future Pop with null.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Signal();
        }
    }

    public void Dispose()
    {
        Close();
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
    }

    /// <summary>
    /// How long a pod backs off after <c>attempts</c> failures: the initial backoff doubled per attempt beyond the
    /// first, capped at the maximum (upstream calculateBackoffDuration).
    /// </summary>
    public TimeSpan BackoffDuration(int attempts)
    {
        var duration = _initialBackoff;
        for (var i = 1; i < attempts; i++)
        {
            if (duration > _maxBackoff - duration)
            {
                return _maxBackoff;
            }

            duration += duration;
        }

        return duration;
    }

    private DateTimeOffset BackoffTime(QueuedPodInfo info) => info.Timestamp + BackoffDuration(info.Attempts);

    private bool IsPodBackingOff(QueuedPodInfo info) => BackoffTime(info) > _time.GetUtcNow();

    private void Requeue(QueuedPodInfo info)
    {
        if (IsPodBackingOff(info))
        {
            _backoffQ.AddOrUpdate(info);
        }
        else
        {
            _activeQ.AddOrUpdate(info);
            Signal();
        }
    }

    private bool PodMatchesEvent(QueuedPodInfo info, ClusterEvent ev)
    {
        if (ev.Resource == EventResource.WildCard || info.UnschedulablePlugins.Count == 0)
        {
            return true;
        }

        return info.UnschedulablePlugins.Any(plugin =>
            _pluginEvents.TryGetValue(plugin, out var events) && events.Any(registered => registered.Match(ev)));
    }

    private void Signal()
    {
        _waiter?.TrySetResult();
        _waiter = null;
    }

    private static QueuedPodInfo Updated(QueuedPodInfo info, V1Pod pod)
    {
        info.PodInfo = new PodInfo(pod);
        return info;
    }

    // Only a change beyond status and bookkeeping metadata can make a parked pod fit (upstream isPodUpdated).
    private static bool IsPodUpdated(V1Pod oldPod, V1Pod newPod)
    {
        static string Relevant(V1Pod pod) => KubernetesJson.Serialize(new { pod.Spec, pod.Metadata?.Labels, pod.Metadata?.Annotations });
        return Relevant(oldPod) != Relevant(newPod);
    }
}
