using System.Text;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// What one namespace's watch received of the soak's own objects (others, such as the root-CA ConfigMap a
/// controller adds, are skipped), next to what the soak's clients wrote there, so the two can be compared.
/// </summary>
internal sealed class SoakWatch
{
    private static readonly byte[] _nameMarker = "\"name\":\""u8.ToArray();
    private readonly Lock _lock = new();
    private readonly List<(char Type, long Revision, long At)> _received = new(16 * 1024);
    private readonly Dictionary<long, long> _written = [];
    private int _deletes;

    public SoakWatch(string ns)
    {
        Namespace = ns;
    }

    public string Namespace { get; }

    /// <summary>Set when the stream failed or ended before the soak stopped it.</summary>
    public string? Failure { get; set; }

    public static bool IsSoakObject(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf(_nameMarker);
        return at >= 0 && line[(at + _nameMarker.Length)..].StartsWith(SoakScenario.ObjectPrefix);
    }

    public void OnLine(ReadOnlySpan<byte> line, long receivedAt)
    {
        if (!IsSoakObject(line))
        {
            return;
        }

        // {"type":"ADDED",... : the type's first letter is enough to tell ADDED, MODIFIED and DELETED apart.
        var type = (char)line["{\"type\":\""u8.Length];
        var revision = ResourceVersions.Find(line);
        lock (_lock)
        {
            _received.Add((type, revision, receivedAt));
        }
    }

    /// <summary>A create or update the soak made here, with when it was sent.</summary>
    public void Wrote(long revision, long sentAt)
    {
        lock (_lock)
        {
            _written[revision] = sentAt;
        }
    }

    public void Deleted()
    {
        lock (_lock)
        {
            _deletes++;
        }
    }

    /// <summary>Whether every create and update written here has arrived.</summary>
    public bool CaughtUp()
    {
        lock (_lock)
        {
            var last = _written.Count == 0 ? 0 : _written.Keys.Max();
            return _received.Count > 0 && _received[^1].Revision >= last;
        }
    }

    /// <summary>
    /// Null when the watch got every write here exactly once, in revision order; otherwise what was wrong. Adds the
    /// write-to-event delay of each write sent after <paramref name="measuredFrom"/> to <paramref name="delays"/>.
    /// </summary>
    public string? Check(long measuredFrom, List<double> delays)
    {
        lock (_lock)
        {
            var problems = new StringBuilder();
            for (var i = 1; i < _received.Count; i++)
            {
                if (_received[i].Revision <= _received[i - 1].Revision)
                {
                    problems.Append($"out of order at {_received[i].Revision}; ");
                    break;
                }
            }

            var deletes = _received.Count(e => e.Type == 'D');
            var seen = _received.Where(e => e.Type != 'D').Select(e => e.Revision).ToHashSet();
            var missing = _written.Keys.Count(revision => !seen.Contains(revision));
            if (missing > 0 || deletes != _deletes || _received.Count != _written.Count + _deletes)
            {
                problems.Append($"{missing} writes missing, {deletes}/{_deletes} deletions, {_received.Count} events for {_written.Count + _deletes} writes; ");
            }

            foreach (var (_, revision, at) in _received)
            {
                if (_written.TryGetValue(revision, out var sent) && sent >= measuredFrom)
                {
                    delays.Add(System.Diagnostics.Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                }
            }

            return Failure ?? (problems.Length > 0 ? problems.ToString() : null);
        }
    }
}
