using ARSoft.Tools.Net.Dns;

namespace Timonel.Networking.Dns;

/// <summary>
/// Upstream answers kept for reuse (K3s' Corefile <c>cache 30</c>): an answer lives for its smallest TTL (a negative
/// one for its SOA's minimum), at most <see cref="MaxTtl"/>, and at most <see cref="Capacity"/> answers are kept;
/// past that the expired ones go first, then the oldest.
/// </summary>
public sealed class ForwardCache
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromSeconds(30);

    /// <summary>CoreDNS' cache plugin default capacity.</summary>
    public const int DefaultCapacity = 9984;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Name, RecordType Type, RecordClass Class), Entry> _entries = [];
    private readonly Queue<(string Name, RecordType Type, RecordClass Class)> _order = new();

    public ForwardCache(TimeProvider time, int capacity = DefaultCapacity)
    {
        _time = time;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The cached answer to <paramref name="question"/>, or null when there is none still fresh.</summary>
    public CachedAnswer? Find(DnsQuestion question)
    {
        var key = KeyOf(question);
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return null;
            }

            if (entry.Expires > _time.GetUtcNow())
            {
                return entry.Answer;
            }

            _entries.Remove(key);
            return null;
        }
    }

    /// <summary>Keeps <paramref name="answer"/> for as long as its records allow; an answer that allows no time (TTL 0, SERVFAIL) is not kept.</summary>
    public void Add(DnsQuestion question, CachedAnswer answer)
    {
        var lifetime = answer.Lifetime();
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var key = KeyOf(question);
        lock (_lock)
        {
            if (!_entries.ContainsKey(key))
            {
                MakeRoom();
                _order.Enqueue(key);
            }

            _entries[key] = new Entry(answer, _time.GetUtcNow() + (lifetime < MaxTtl ? lifetime : MaxTtl));
        }
    }

    private void MakeRoom()
    {
        while (_entries.Count >= Capacity && _order.TryDequeue(out var oldest))
        {
            _entries.Remove(oldest);
        }

        // Keys re-added after expiring sit in the queue more than once; trim the queue when it drifts from the map.
        if (_order.Count > 2 * Capacity)
        {
            var live = _order.Where(_entries.ContainsKey).Distinct().ToList();
            _order.Clear();
            foreach (var key in live)
            {
                _order.Enqueue(key);
            }
        }
    }

    private static (string, RecordType, RecordClass) KeyOf(DnsQuestion question) =>
        (question.Name.ToString().ToLowerInvariant(), question.RecordType, question.RecordClass);

    private sealed record Entry(CachedAnswer Answer, DateTimeOffset Expires);
}
