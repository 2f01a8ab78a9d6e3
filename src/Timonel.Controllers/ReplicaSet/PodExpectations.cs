namespace Timonel.Controllers.ReplicaSet;

/// <summary>
/// Creations and deletions a controller has asked for and not yet seen in its pod cache (upstream's
/// ControllerExpectations, pkg/controller/controller_utils.go): while any are outstanding the controller does not
/// count pods again, so a lagging cache never makes it create or delete twice. Expectations older than five minutes
/// (ExpectationsTimeout) are given up on, in case a watch event was lost.
/// </summary>
internal sealed class PodExpectations
{
    /// <summary>Upstream's ExpectationsTimeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public PodExpectations(TimeProvider time) => _time = time;

    /// <summary>No expectation recorded, all observed, or expired: the controller may count pods again.</summary>
    public bool Satisfied(string key)
    {
        lock (_lock)
        {
            return !_entries.TryGetValue(key, out var entry)
                || (entry.Adds <= 0 && entry.Deletes <= 0)
                || _time.GetUtcNow() - entry.Since > Timeout;
        }
    }

    public void Expect(string key, int adds, int deletes)
    {
        lock (_lock)
        {
            _entries[key] = new Entry(adds, deletes, _time.GetUtcNow());
        }
    }

    public void CreationObserved(string key) => Lower(key, 1, 0);

    public void DeletionObserved(string key) => Lower(key, 0, 1);

    /// <summary>Creations that failed or were skipped will never be observed.</summary>
    public void Lower(string key, int adds, int deletes)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry with { Adds = entry.Adds - adds, Deletes = entry.Deletes - deletes };
            }
        }
    }

    public void Delete(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    private sealed record Entry(int Adds, int Deletes, DateTimeOffset Since);
}
