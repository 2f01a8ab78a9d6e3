using System.Diagnostics;

namespace Timonel.Scheduler;

/// <summary>Where the scheduler's time goes (upstream's scheduling_algorithm_duration and friends, as plain counters).</summary>
public sealed class SchedulerMetrics
{
    private long _cycles;
    private long _cycleTicks;
    private long _filterTicks;
    private long _scoreTicks;
    private long _bindings;
    private long _bindingTicks;

    public long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>Wall time spent in scheduling cycles (the single scheduling thread).</summary>
    public TimeSpan CycleTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _cycleTicks));

    /// <summary>Part of <see cref="CycleTime"/>: PreFilter and Filter.</summary>
    public TimeSpan FilterTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _filterTicks));

    /// <summary>Part of <see cref="CycleTime"/>: PreScore, Score, NormalizeScore and choosing the node.</summary>
    public TimeSpan ScoreTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _scoreTicks));

    public long Bindings => Interlocked.Read(ref _bindings);

    /// <summary>Wall time of the bind calls, summed over the concurrent binding cycles.</summary>
    public TimeSpan BindingTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _bindingTicks));

    internal void CycleDone(long startTimestamp)
    {
        Interlocked.Increment(ref _cycles);
        Interlocked.Add(ref _cycleTicks, Stopwatch.GetTimestamp() - startTimestamp);
    }

    internal void FilterDone(long startTimestamp) => Interlocked.Add(ref _filterTicks, Stopwatch.GetTimestamp() - startTimestamp);

    internal void ScoreDone(long startTimestamp) => Interlocked.Add(ref _scoreTicks, Stopwatch.GetTimestamp() - startTimestamp);

    internal void BindingDone(long startTimestamp)
    {
        Interlocked.Increment(ref _bindings);
        Interlocked.Add(ref _bindingTicks, Stopwatch.GetTimestamp() - startTimestamp);
    }
}
