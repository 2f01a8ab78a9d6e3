namespace Timonel.Agent.Simulated;

/// <summary>
/// The next time after now at a fixed phase of a fixed period: node i of N renews at phase i·period/N of every
/// period, so N nodes' writes spread evenly and stay spread whatever delays a single renewal had.
/// </summary>
internal static class PeriodicSlot
{
    public static DateTimeOffset After(DateTimeOffset now, TimeSpan period, TimeSpan phase)
    {
        var ticks = now.UtcTicks - phase.Ticks;
        var next = ((ticks / period.Ticks) + 1) * period.Ticks + phase.Ticks;
        return new DateTimeOffset(next, TimeSpan.Zero);
    }

    /// <summary>Where in <paramref name="period"/> member <paramref name="index"/> of <paramref name="count"/> falls.</summary>
    public static TimeSpan Phase(int index, int count, TimeSpan period) => TimeSpan.FromTicks(period.Ticks / Math.Max(count, 1) * index);
}
