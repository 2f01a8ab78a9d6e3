using System.Diagnostics;
using System.Globalization;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Times the steps of a start-up, so the "ready" log line can say where the time went (start → ready is a
/// benchmark target, docs/benchmarks.md) without attaching a profiler. Marked from the one start-up flow, in order.
/// </summary>
public sealed class StartupPhases
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Name, long Milliseconds)> _phases = [];
    private long _lastMark;

    public long ElapsedMilliseconds => _clock.ElapsedMilliseconds;

    /// <summary>Ends the phase named <paramref name="name"/> (everything since the previous mark).</summary>
    public void Mark(string name)
    {
        var now = _clock.ElapsedMilliseconds;
        _phases.Add((name, now - _lastMark));
        _lastMark = now;
    }

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Milliseconds}")));
}
