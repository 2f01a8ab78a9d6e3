using System.Collections.Concurrent;
using ARSoft.Tools.Net.Dns;

namespace Timonel.Networking.Dns;

/// <summary>
/// The zone's answers to the questions asked, kept until the next change the informers see: a hot name (the few
/// Services a pod keeps asking for) is then answered without walking the indexes or building records again.
/// Invalidation is a generation count: <see cref="Invalidate"/> on every Service or EndpointSlice event makes every
/// entry stale at once, and an answer computed while a change arrived is stored under the older generation, so it
/// is never served after it.
/// </summary>
public sealed class ZoneAnswerCache
{
    /// <summary>Entries beyond this many clear the cache (a scan of random names must not grow it without bound).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Name, RecordType Type, RecordClass Class), Entry> _entries = new();
    private long _generation;

    /// <summary>Forgets every answer (the cluster changed).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The current generation, to pass to <see cref="Store"/> for an answer computed from now on.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryWrite(DnsQuestion question, DnsMessage response)
    {
        if (!_entries.TryGetValue(Key(question), out var entry) || entry.Generation != Generation)
        {
            return false;
        }

        response.IsAuthoritiveAnswer = entry.Authoritative;
        entry.Answer.WriteTo(response);
        return true;
    }

    /// <summary>Keeps the zone's answer to <paramref name="question"/>, computed from the state of <paramref name="generation"/>.</summary>
    public void Store(DnsQuestion question, DnsMessage response, long generation)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[Key(question)] = new Entry(generation, response.IsAuthoritiveAnswer, CachedAnswer.From(response));
    }

    // Case kept: the records carry the name as asked.
    private static (string, RecordType, RecordClass) Key(DnsQuestion question) => (question.Name.ToString(), question.RecordType, question.RecordClass);

    private sealed record Entry(long Generation, bool Authoritative, CachedAnswer Answer);
}
