using System.Collections.Concurrent;
using System.Diagnostics;
using k8s.Models;

namespace Timonel.Bench.Scheduler;

/// <summary>When each pod of a phase was bound, and how many bindings failed.</summary>
internal sealed class BindingClock
{
    private readonly ConcurrentDictionary<string, long> _bound = new(StringComparer.Ordinal);
    private int _failures;

    public int Count => _bound.Count;

    public int Failures => _failures;

    public string? FirstFailure { get; private set; }

    public void Record(V1Pod pod, string node, bool success)
    {
        if (success)
        {
            _bound.TryAdd(pod.Metadata.Name, Stopwatch.GetTimestamp());
        }
        else if (Interlocked.Increment(ref _failures) == 1)
        {
            FirstFailure = $"{pod.Metadata.Name} on {node}";
        }
    }

    /// <summary>From the first to the last binding of the pods named with <paramref name="prefix"/>.</summary>
    public (int Count, TimeSpan Span) Phase(string prefix)
    {
        var times = _bound.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(pair => pair.Value).ToList();
        return times.Count < 2 ? (times.Count, TimeSpan.Zero) : (times.Count, Stopwatch.GetElapsedTime(times.Min(), times.Max()));
    }

    public int CountOf(string prefix) => _bound.Keys.Count(name => name.StartsWith(prefix, StringComparison.Ordinal));

    public async Task WaitForAsync(string prefix, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (CountOf(prefix) < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{CountOf(prefix)}/{count} {prefix} pods bound after {timeout.TotalSeconds} s ({Failures} binding failures, first: {FirstFailure})");
            }

            await Task.Delay(50);
        }
    }
}
