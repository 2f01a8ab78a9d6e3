using System.Diagnostics;

namespace Timonel.Scheduler;

/// <summary>Where the scheduler's time goes (upstream's scheduling_algorithm_duration and friends, as plain counters).</summary>
public sealed class SchedulerMetrics
{
    private long _cycles;
    private long _cycleTicks;
    private long _bindings;
    private long _bindingTicks;

    public long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>Wall time spent in scheduling cycles (the single scheduling thread).</summary>
    public TimeSpan CycleTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _cycleTicks));

    public long Bindings => Interlocked.Read(ref _bindings);

    /// <summary>Wall time of the bind calls, summed over the concurrent binding cycles.</summary>
    public TimeSpan BindingTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _bindingTicks));

    internal void CycleDone(long startTimestamp)
    {
        Interlocked.Increment(ref _cycles);
        Interlocked.Add(ref _cycleTicks, Stopwatch.GetTimestamp() - startTimestamp);
    }

    internal void BindingDone(long startTimestamp)
    {
        Interlocked.Increment(ref _bindings);
        Interlocked.Add(ref _bindingTicks, Stopwatch.GetTimestamp() - startTimestamp);
    }
}
