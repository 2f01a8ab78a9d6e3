using System.Globalization;

namespace Timonel.Storage.Tests.Sqlite;

/// <summary>
/// What the churn writer (Timonel.Storage.CrashWriter churn) was promised across its killed runs on one database:
/// each key's acknowledged mod revision (absent: deleted or never created) and the highest revision acknowledged.
/// </summary>
internal sealed class ChurnLedger
{
    public const string Prefix = "/churn/";

    private Dictionary<string, long> _promised = new(StringComparer.Ordinal);

    public long Highest { get; private set; }

    /// <summary>Acknowledged writes and deletes over all runs.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>
    /// Checks the store against the promises of the runs so far plus the <c>try</c>/<c>ok</c> lines of the last one,
    /// then takes what the store holds as the next starting point. Returns one line per broken promise.
    /// </summary>
    public async Task<List<string>> VerifyAsync(IStorageBackend store, IEnumerable<string> logLines)
    {
        var inFlight = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in logLines)
        {
            var parts = line.Split(' ');
            if (parts[0] == "try")
            {
                inFlight[parts[2]] = parts[1];
                continue;
            }

            inFlight.Remove(parts[2]);
            Acknowledged++;
            var revision = long.Parse(parts[3], CultureInfo.InvariantCulture);
            Highest = Math.Max(Highest, revision);
            if (parts[1] == "delete")
            {
                _promised.Remove(parts[2]);
            }
            else
            {
                _promised[parts[2]] = revision;
            }
        }

        var stored = (await store.ListAsync(Prefix, ListOptions.Latest)).Items.ToDictionary(item => item.Key, item => item.ModRevision, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var key in _promised.Keys.Union(stored.Keys).Union(inFlight.Keys))
        {
            var promised = _promised.TryGetValue(key, out var revision) ? revision : (long?)null;
            var found = stored.TryGetValue(key, out var modRevision) ? modRevision : (long?)null;
            if (found != promised && !InFlightExplains(inFlight.GetValueOrDefault(key), promised, found))
            {
                problems.Add($"{key}: acknowledged {Describe(promised)}, found {Describe(found)} (in flight: {inFlight.GetValueOrDefault(key) ?? "nothing"})");
            }
        }

        _promised = stored;
        return problems;
    }

    // The write whose answer was lost may have happened: a delete leaves the key absent, a create or update leaves it at
    // a revision above the promised one.
    private static bool InFlightExplains(string? kind, long? promised, long? found) => kind switch
    {
        "delete" => found is null,
        "create" or "update" => found > (promised ?? 0),
        _ => false,
    };

    private static string Describe(long? revision) => revision is { } r ? $"at revision {r}" : "absent";
}
