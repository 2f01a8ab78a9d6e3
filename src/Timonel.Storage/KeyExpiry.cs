namespace Timonel.Storage;

/// <summary>
/// Deletes the keys under a prefix a fixed time to live after their last write, as kube-apiserver's --event-ttl does
/// by attaching an etcd lease to every Event write. The seam has no leases, so this follows the prefix instead (a
/// list, then a watch from its revision), keeping each key's mod revision and when it was written, and deletes a key
/// once it is due, on the condition that its mod revision is still the one seen: a write in between keeps the key
/// and restarts its time. Works on every backend; the deletion reaches watchers as an ordinary DELETED event. Keys
/// present when it starts (their write time is not stored) are given a full TTL from then.
/// </summary>
public sealed class KeyExpiry : IAsyncDisposable
{
    /// <summary>How often due keys are looked for.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private const int ListPageSize = 500;
    private readonly IStorageBackend _backend;
    private readonly string _prefix;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Revision, DateTimeOffset Due)> _revisions = new(StringComparer.Ordinal);

    // Writes in the order seen, so (the TTL being one for all) in the order they fall due; an entry whose key was
    // written again or deleted since is stale and skipped.
    private readonly Queue<(string Key, long Revision, DateTimeOffset Due)> _due = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loops = Task.CompletedTask;

    public KeyExpiry(IStorageBackend backend, string prefix, TimeSpan ttl, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _backend = backend;
        _prefix = prefix;
        _ttl = ttl;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised when following the prefix or a deletion fails; it carries on.</summary>
    public event Action<Exception>? Failed;

    /// <summary>Completes once the keys present at start are known.</summary>
    public Task Synced => _synced.Task;

    /// <summary>Keys followed now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _revisions.Count;
            }
        }
    }

    /// <summary>When <paramref name="key"/> is due for deletion as far as seen so far, or null when it is not followed.</summary>
    public DateTimeOffset? ExpiresAt(string key)
    {
        lock (_lock)
        {
            return _revisions.TryGetValue(key, out var known) ? known.Due : null;
        }
    }

    public void Start() => _loops = Task.WhenAll(FollowAsync(_stopping.Token), SweepLoopAsync(_stopping.Token));

    /// <summary>Deletes every key due now (unless written again since); returns how many were deleted.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        List<(string Key, long Revision)> due = [];
        lock (_lock)
        {
            while (_due.TryPeek(out var head) && head.Due <= now)
            {
                _due.Dequeue();
                if (_revisions.TryGetValue(head.Key, out var known) && known.Revision == head.Revision)
                {
                    due.Add((head.Key, head.Revision));
                }
            }
        }

        var deleted = 0;
        foreach (var (key, revision) in due)
        {
            var result = await _backend.DeleteAsync(key, revision, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                deleted++;
                Forget(key, revision);
            }
        }

        return deleted;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var revision = await ListAsync(cancellationToken).ConfigureAwait(false);
                _synced.TrySetResult();
                await foreach (var ev in _backend.WatchAsync(_prefix, revision, cancellationToken).ConfigureAwait(false))
                {
                    if (ev.Type == WatchEventType.Put)
                    {
                        Track(ev.Current.Key, ev.Current.ModRevision);
                    }
                    else if (ev.Type == WatchEventType.Delete)
                    {
                        Forget(ev.Current.Key, null);
                    }
                }

                // The watch ends without error only when the backend is disposed.
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Compacted past the watch, or the datastore unreachable: start over from a fresh list.
                Failed?.Invoke(ex);
                await Task.Delay(SweepInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<long> ListAsync(CancellationToken cancellationToken)
    {
        var page = await _backend.ListAsync(_prefix, new ListOptions(Limit: ListPageSize, CountRemaining: false), cancellationToken).ConfigureAwait(false);
        var revision = page.Revision;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var kv in page.Items)
            {
                seen.Add(kv.Key);
                Track(kv.Key, kv.ModRevision);
            }

            if (page.NextKey is null)
            {
                break;
            }

            page = await _backend.ListAsync(_prefix, new ListOptions(ListPageSize, page.NextKey, revision, CountRemaining: false), cancellationToken).ConfigureAwait(false);
        }

        lock (_lock)
        {
            // A relist forgets keys deleted while no watch was open.
            foreach (var key in _revisions.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                _revisions.Remove(key);
            }
        }

        return revision;
    }

    private void Track(string key, long revision)
    {
        lock (_lock)
        {
            if (_revisions.TryGetValue(key, out var known) && known.Revision == revision)
            {
                // Seen again on a relist: its time runs on.
                return;
            }

            var due = _time.GetUtcNow() + _ttl;
            _revisions[key] = (revision, due);
            _due.Enqueue((key, revision, due));
        }
    }

    private void Forget(string key, long? revision)
    {
        lock (_lock)
        {
            if (revision is null || (_revisions.TryGetValue(key, out var known) && known.Revision == revision))
            {
                _revisions.Remove(key);
            }
        }
    }

    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await SweepOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed?.Invoke(ex);
            }
        }
    }
}
