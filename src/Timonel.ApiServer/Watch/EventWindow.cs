namespace Timonel.ApiServer.Watch;

/// <summary>
/// The recent events a watch can start from, bounded by age and by count as upstream's watch cache bounds its
/// history (k8s.io/apiserver/pkg/storage/cacher/watch_cache.go, resizeCacheLocked): events stay while younger than
/// <see cref="FreshFor"/>, never more than <see cref="UpperBound"/> of them, and the newest
/// <see cref="LowerBound"/> stay whatever their age. Memory therefore follows the write rate over 75 seconds, not
/// the whole history since the last compaction. Not thread-safe: the watch cache calls it under its lock.
/// </summary>
public sealed class EventWindow
{
    /// <summary>Upstream's defaultUpperBoundCapacity (cacher.go: 100 * 1024).</summary>
    public const int UpperBound = 100 * 1024;

    /// <summary>Upstream's defaultLowerBoundCapacity (cacher.go).</summary>
    public const int LowerBound = 100;

    /// <summary>Upstream's DefaultEventFreshDuration (cacher.go: defaultBookmarkFrequency + 15 s).</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(75);

    private readonly Queue<(CachedEvent Event, long At)> _events = new();
    private readonly TimeProvider _time;
    private readonly int _upperBound;

    /// <param name="startRevision">The revision the cache was loaded at: a watch from it needs no event before it.</param>
    /// <param name="time">The clock event ages are read from.</param>
    /// <param name="upperBound">At most this many events (tests use a small one).</param>
    public EventWindow(long startRevision, TimeProvider time, int upperBound = UpperBound)
    {
        OldestReplayable = startRevision;
        _time = time;
        _upperBound = Math.Max(LowerBound, upperBound);
    }

    /// <summary>The oldest revision a watch can start after: every event past it is still here.</summary>
    public long OldestReplayable { get; private set; }

    public int Count => _events.Count;

    /// <summary>Appends an event and drops those that fell out of the window.</summary>
    public void Add(CachedEvent change)
    {
        var now = _time.GetTimestamp();
        _events.Enqueue((change, now));
        while (_events.Count > _upperBound || (_events.Count > LowerBound && _time.GetElapsedTime(_events.Peek().At, now) > FreshFor))
        {
            OldestReplayable = _events.Dequeue().Event.Revision;
        }
    }

    /// <summary>Events after <paramref name="afterRevision"/> under <paramref name="prefix"/>, oldest first.</summary>
    public IEnumerable<CachedEvent> Since(long afterRevision, string prefix)
    {
        foreach (var (past, _) in _events)
        {
            if (past.Revision > afterRevision && past.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return past;
            }
        }
    }
}
