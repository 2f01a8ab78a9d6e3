using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Endpoints;
using Timonel.Storage;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// The API server's in-memory mirror of the store, after upstream's cacher (k8s.io/apiserver/pkg/storage/cacher):
/// one storage watch feeds the current state of every object plus a window of recent events. Lists and watches
/// are served from here, so a thousand watchers cost one storage watch.
/// </summary>
public sealed class WatchCache : IAsyncDisposable
{
    private const string RootPrefix = "/registry/";
    private const int InitialListPageSize = 5_000;

    // A reader still waiting after this long asks the store whether the revision holds anything for the cache
    // (only writes outside /registry/ leave it waiting that long); upstream's cacher asks every 100 ms.
    private static readonly TimeSpan _progressAfter = TimeSpan.FromMilliseconds(50);

    // As upstream's cacher (blockTimeout): a consistent read that cannot be served by then gets 504.
    private static readonly TimeSpan _freshnessTimeout = TimeSpan.FromSeconds(3);

    private readonly IStorageBackend _storage;
    private readonly CurrentRevisionReads _currentRevision;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, KeyValue> _objects = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private readonly TimeProvider _time;
    private readonly int _historyUpperBound;
    private EventWindow _history;
    private long _progressRequestedAt;
    private volatile bool _progressUnsupported;
    private Task? _pump;

    public WatchCache(IStorageBackend storage, ILogger<WatchCache> logger, TimeProvider? time = null, int historyUpperBound = EventWindow.UpperBound)
    {
        _storage = storage;
        _time = time ?? TimeProvider.System;
        _historyUpperBound = historyUpperBound;
        _history = new EventWindow(0, _time, historyUpperBound);
        _currentRevision = new CurrentRevisionReads(storage.CurrentRevisionAsync);
        _logger = logger;
    }

    /// <summary>The revision the cache reflects.</summary>
    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _revision;
            }
        }
    }

    /// <summary>Cancelled when the cache stops: readers that follow it in the background stop with it.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Loads the current state and starts following the store.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var startRevision = 0L;
        string? next = null;
        do
        {
            var page = await _storage.ListAsync(RootPrefix, new ListOptions(InitialListPageSize, next, startRevision, CountRemaining: false), cancellationToken);
            startRevision = page.Revision;
            foreach (var kv in page.Items)
            {
                _objects[kv.Key] = kv;
                _keys.Add(kv.Key);
            }

            next = page.NextKey;
        }
        while (next is not null);

        _revision = startRevision;
        _history = new EventWindow(_revision, _time, _historyUpperBound);
        _pump = Task.Run(() => PumpAsync(_revision, _stopping.Token), CancellationToken.None);
    }

    /// <summary>
    /// Waits until the cache reflects every write acknowledged before this call (a consistent read, as upstream's
    /// consistent reads from cache: the store's current revision, then the cache catching up with it). False when it
    /// has not caught up within 50 ms and the store cannot mark watch progress (etcd before 3.4.31/3.5.13): the
    /// caller then reads the store itself, as kube-apiserver falls back to etcd for such a store.
    /// </summary>
    public async Task<bool> TryWaitUntilCurrentAsync(CancellationToken cancellationToken) =>
        await WaitAsync(await _currentRevision.ReadAsync(cancellationToken).ConfigureAwait(false), mayFallBack: true, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Waits until the cache has caught up with <paramref name="revision"/> (for consistent reads). Throws 504
    /// (Too large resource version) when it has not within three seconds, as upstream's cacher does.
    /// </summary>
    public async Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken) =>
        await WaitAsync(revision, mayFallBack: false, cancellationToken).ConfigureAwait(false);

    private async Task<bool> WaitAsync(long revision, bool mayFallBack, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task progress;
            long current;
            lock (_lock)
            {
                if (_revision >= revision)
                {
                    return true;
                }

                progress = _progress.Task;
                current = _revision;
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited >= _freshnessTimeout)
            {
                throw StatusException.TooLargeResourceVersion(revision, current);
            }

            if (waited >= _progressAfter && !await RequestProgressAsync(cancellationToken) && mayFallBack)
            {
                return false;
            }

            // Asked again every interval: a mark can be lost (a storage watch reconnecting, or not yet subscribed).
            var patience = waited < _progressAfter ? _progressAfter - waited : _progressAfter;
            try
            {
                // WaitAsync drops its timer as soon as the cache moves, the usual case.
                await progress.WaitAsync(patience, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    // However many readers wait, one progress request per interval is enough: its answer serves them all. False
    // once the store has said it cannot mark progress.
    private async Task<bool> RequestProgressAsync(CancellationToken cancellationToken)
    {
        if (_progressUnsupported)
        {
            return false;
        }

        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _progressRequestedAt);
        if (Stopwatch.GetElapsedTime(last, now) < _progressAfter || Interlocked.CompareExchange(ref _progressRequestedAt, now, last) != last)
        {
            return true;
        }

        var supported = await _storage.RequestWatchProgressAsync(cancellationToken).ConfigureAwait(false);
        _progressUnsupported = !supported;
        return supported;
    }

    /// <summary>The current objects under <paramref name="prefix"/>, in key order, and the revision they reflect.</summary>
    public (IReadOnlyList<KeyValue> Items, long Revision) List(string prefix)
    {
        lock (_lock)
        {
            var items = new List<KeyValue>();
            foreach (var key in _keys.GetViewBetween(prefix, prefix + char.MaxValue))
            {
                items.Add(_objects[key]);
            }

            return (items, _revision);
        }
    }

    public KeyValue? Get(string key)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Subscribes to changes under <paramref name="prefix"/> after <paramref name="afterRevision"/>, replaying the
    /// window's events first. A revision older than the window gets 410 Gone, as from upstream's watch cache
    /// (watch_cache.go, getAllEventsSinceLocked): the client relists, which the cache serves from current state.
    /// </summary>
    public Watcher Watch(string prefix, long afterRevision)
    {
        lock (_lock)
        {
            if (afterRevision < _history.OldestReplayable)
            {
                throw StatusException.TooOldResourceVersion(afterRevision, _history.OldestReplayable);
            }

            var watcher = new Watcher(prefix, afterRevision, Unsubscribe);
            foreach (var past in _history.Since(afterRevision, prefix))
            {
                watcher.Offer(past);
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
            }
        }

        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Close();
            }
        }

        _stopping.Dispose();
    }

    private void Unsubscribe(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private async Task PumpAsync(long fromRevision, CancellationToken cancellationToken)
    {
        var after = fromRevision;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _storage.WatchAsync(RootPrefix, after, cancellationToken))
                {
                    Apply(change);
                    if (change.Type != WatchEventType.Progress)
                    {
                        after = change.Revision;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A broken storage watch is resumed from the last applied revision; nothing is lost or repeated.
                _logger.LogWarning(ex, "storage watch failed after revision {Revision}; resuming", after);
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private void Apply(WatchEvent change)
    {
        if (change.Type == WatchEventType.Progress)
        {
            MarkProgress(change.Revision);
            return;
        }

        var cached = CachedEvent.FromStorage(change);
        TaskCompletionSource progressed;
        lock (_lock)
        {
            if (IsAlreadyApplied(change))
            {
                return;
            }

            if (change.Type == WatchEventType.Delete)
            {
                _objects.Remove(change.Current.Key);
                _keys.Remove(change.Current.Key);
            }
            else if (_objects.TryAdd(change.Current.Key, change.Current))
            {
                _keys.Add(change.Current.Key);
            }
            else
            {
                // A modification: the key is already in the ordered index; a hash lookup instead of a tree walk
                // with string comparisons (which showed in write profiles).
                _objects[change.Current.Key] = change.Current;
            }

            // Never backwards: after a progress mark, a resumed storage watch replays events at or below it.
            _revision = Math.Max(_revision, change.Revision);
            _history.Add(cached);

            foreach (var watcher in _watchers)
            {
                if (cached.Revision > watcher.AfterRevision && cached.Key.StartsWith(watcher.Prefix, StringComparison.Ordinal))
                {
                    watcher.Offer(cached);
                }
            }

            progressed = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        progressed.TrySetResult();
    }

    // An event at or below the cache's revision comes only after a progress mark (or a resumed storage watch):
    // applied when the key's cached state is older, skipped when the cache already reflects it.
    private bool IsAlreadyApplied(WatchEvent change)
    {
        if (change.Revision > _revision)
        {
            return false;
        }

        var cached = _objects.GetValueOrDefault(change.Current.Key);
        return change.Type == WatchEventType.Delete ? cached is null || cached.ModRevision > change.Revision : cached is not null && cached.ModRevision >= change.Revision;
    }

    // The store says nothing under /registry/ changed up to this revision: reads waiting for it can go ahead.
    private void MarkProgress(long revision)
    {
        TaskCompletionSource progressed;
        lock (_lock)
        {
            if (revision <= _revision)
            {
                return;
            }

            _revision = revision;
            progressed = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        progressed.TrySetResult();
    }
}
