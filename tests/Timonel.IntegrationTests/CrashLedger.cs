using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Everything the crash workload was promised, across all trials on one store: each ConfigMap's acknowledged state
/// and the highest resourceVersion acknowledged, which a restarted server must never fall behind.
/// </summary>
internal sealed class CrashLedger
{
    /// <summary>Names of the workload's ConfigMaps start with this; nothing else in the namespace does.</summary>
    public const string Prefix = "crash-";

    private readonly ConcurrentDictionary<string, TrackedObject> _objects = new(StringComparer.Ordinal);
    private readonly List<TrackedObject>[] _owned;
    private readonly int[] _named;
    private long _highest;
    private long _floor;

    public CrashLedger(int writers)
    {
        _owned = [.. Enumerable.Range(0, writers).Select(_ => new List<TrackedObject>())];
        _named = new int[writers];
    }

    public int Writers => _owned.Length;

    /// <summary>A new ConfigMap for <paramref name="writer"/>, under a name never used before (deleted names are not reused).</summary>
    public TrackedObject NewObject(int writer)
    {
        var tracked = new TrackedObject(string.Create(CultureInfo.InvariantCulture, $"{Prefix}w{writer}-{_named[writer]++}"));
        _objects[tracked.Name] = tracked;
        _owned[writer].Add(tracked);
        return tracked;
    }

    /// <summary>The writer's ConfigMaps that exist as far as the server said; call between trials only.</summary>
    public List<TrackedObject> LiveObjects(int writer) => [.. _owned[writer].Where(o => o.State == TrackedState.Present)];

    /// <summary>
    /// Notes an acknowledged write's resourceVersion; it must be above what the list after the last restart showed,
    /// as each write gets a revision above every earlier one.
    /// </summary>
    public void Acknowledged(string name, long resourceVersion, CrashTally tally)
    {
        if (resourceVersion <= Interlocked.Read(ref _floor))
        {
            tally.Regression($"{name} acknowledged at resourceVersion {resourceVersion}, not above {_floor}, the list's after the restart");
        }

        Raise(ref _highest, resourceVersion);
    }

    /// <summary>Judges a list of the namespace's ConfigMaps after a restart against every promise, then starts from it.</summary>
    public void Verify(JsonNode list, CrashTally tally)
    {
        var listVersion = ResourceVersion(list);
        if (listVersion < _highest)
        {
            tally.Regression($"the list after the restart is at resourceVersion {listVersion}, below {_highest} acknowledged before");
        }

        var observed = list["items"]!.AsArray()
            .Where(item => Name(item!).StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(item => Name(item!), item => new ObservedObject(int.Parse(item!["data"]!["v"]!.GetValue<string>(), CultureInfo.InvariantCulture), ResourceVersion(item)), StringComparer.Ordinal);
        foreach (var tracked in _objects.Values)
        {
            var seen = observed.Remove(tracked.Name, out var found) ? found : null;
            tally.Record(tracked.Check(seen), tracked, seen);
            tracked.Settle(seen);
        }

        foreach (var stranger in observed.Keys)
        {
            tally.Corrupt($"{stranger} exists but the workload never wrote it");
        }

        Raise(ref _highest, listVersion);
        Interlocked.Exchange(ref _floor, listVersion);
    }

    private static string Name(JsonNode item) => item["metadata"]!["name"]!.GetValue<string>();

    private static long ResourceVersion(JsonNode node) => long.Parse(node["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static void Raise(ref long highest, long value)
    {
        var current = Interlocked.Read(ref highest);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref highest, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
