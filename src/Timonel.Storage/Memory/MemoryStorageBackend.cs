using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Timonel.Storage.Memory;

/// <summary>
/// A volatile backend for unit tests and benchmarks baselines. It keeps the whole history (until compaction) in a
/// list, so reads at an old revision replay that log. One lock guards everything: simplicity over speed.
/// </summary>
public sealed class MemoryStorageBackend : IStorageBackend
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, KeyValue> _live = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<(string Prefix, ChannelWriter<WatchEvent> Writer)> _watchers = [];
    private long _revision;
    private long _compacted;

    public Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_live.GetValueOrDefault(key));
        }
    }

    public Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var atRevision = options.Revision > 0 ? options.Revision : _revision;
            if (options.Revision > 0 && options.Revision < _compacted)
            {
                throw new CompactedException(options.Revision, _compacted);
            }

            ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Revision, _revision, nameof(options));

            var snapshot = atRevision == _revision ? _live : SnapshotAt(atRevision);
            var matching = snapshot
                .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && (options.StartKey is null || string.CompareOrdinal(pair.Key, options.StartKey) >= 0))
                .Select(pair => pair.Value)
                .ToList();
            var limit = options.Limit > 0 ? (int)Math.Min(options.Limit, matching.Count) : matching.Count;
            var page = matching.Take(limit).ToList();
            var next = limit < matching.Count ? matching[limit].Key : null;
            return Task.FromResult(new ListResult(page, atRevision, next, matching.Count - limit));
        }
    }

    public Task<long> CountAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_live.Keys.Count(key => key.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    public Task<WriteResult> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_live.TryGetValue(key, out var existing))
            {
                return Task.FromResult(new WriteResult(false, _revision, existing));
            }

            var revision = ++_revision;
            var created = new KeyValue(key, value.ToArray(), revision, revision);
            _live[key] = created;
            Publish(new WatchEvent(WatchEventType.Put, created, null));
            return Task.FromResult(new WriteResult(true, revision, created));
        }
    }

    public Task<WriteResult> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_live.TryGetValue(key, out var existing) || existing.ModRevision != expectedRevision)
            {
                return Task.FromResult(new WriteResult(false, _revision, existing));
            }

            var revision = ++_revision;
            var updated = new KeyValue(key, value.ToArray(), existing.CreateRevision, revision);
            _live[key] = updated;
            Publish(new WatchEvent(WatchEventType.Put, updated, existing));
            return Task.FromResult(new WriteResult(true, revision, updated));
        }
    }

    public Task<WriteResult> DeleteAsync(string key, long expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_live.TryGetValue(key, out var existing) || (expectedRevision != 0 && existing.ModRevision != expectedRevision))
            {
                return Task.FromResult(new WriteResult(false, _revision, existing));
            }

            var revision = ++_revision;
            _live.Remove(key);
            Publish(new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], existing.CreateRevision, revision), existing));
            return Task.FromResult(new WriteResult(true, revision, existing));
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        (string, ChannelWriter<WatchEvent>) registration = (prefix, channel.Writer);
        lock (_lock)
        {
            if (afterRevision > 0 && afterRevision + 1 < _compacted)
            {
                throw new CompactedException(afterRevision, _compacted);
            }

            foreach (var past in _history.Where(e => e.Revision > afterRevision && e.Current.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                channel.Writer.TryWrite(past);
            }

            _watchers.Add(registration);
        }

        try
        {
            await foreach (var watchEvent in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return watchEvent;
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(registration);
            }
        }
    }

    public Task<bool> RequestWatchProgressAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Events are queued under this lock as they are written, so the mark lands behind all of them.
            var progress = WatchEvent.Progress(_revision);
            foreach (var (_, writer) in _watchers)
            {
                writer.TryWrite(progress);
            }
        }

        return Task.FromResult(true);
    }

    public Task<long> CurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_revision);
        }
    }

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (revision > _compacted)
            {
                _compacted = Math.Min(revision, _revision);
                _history.RemoveAll(e => e.Revision < _compacted);
            }
        }

        return Task.CompletedTask;
    }

    public Task<long> CompactedRevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_compacted);
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var (_, writer) in _watchers)
            {
                writer.TryComplete();
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Publish(WatchEvent watchEvent)
    {
        _history.Add(watchEvent);
        foreach (var (prefix, writer) in _watchers)
        {
            if (watchEvent.Current.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                writer.TryWrite(watchEvent);
            }
        }
    }

    // Rebuilds the live set as of an old revision by undoing later history, newest first.
    private SortedDictionary<string, KeyValue> SnapshotAt(long revision)
    {
        var snapshot = new SortedDictionary<string, KeyValue>(_live, StringComparer.Ordinal);
        for (var i = _history.Count - 1; i >= 0 && _history[i].Revision > revision; i--)
        {
            var change = _history[i];
            if (change.Previous is null)
            {
                snapshot.Remove(change.Current.Key);
            }
            else
            {
                snapshot[change.Current.Key] = change.Previous;
            }
        }

        return snapshot;
    }
}
