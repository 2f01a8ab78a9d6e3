using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class QueueAndSlotTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DueQueue_TakesOnlyDueItems_EarliestFirst_TiesInArrivalOrder()
    {
        var queue = new DueQueue<string>();
        Assert.True(queue.Schedule("late", _t0.AddSeconds(5)));
        Assert.True(queue.Schedule("first", _t0));
        Assert.False(queue.Schedule("second", _t0));

        var taken = new List<string>();
        while (queue.TryTakeDue(_t0.AddSeconds(1), out var item))
        {
            taken.Add(item);
        }

        Assert.Equal(["first", "second"], taken);
        Assert.Equal(_t0.AddSeconds(5), queue.NextDue());
    }

    [Theory]
    [InlineData(0.0, 2.5, 2.5)]
    [InlineData(2.5, 2.5, 12.5)]
    [InlineData(3.0, 2.5, 12.5)]
    [InlineData(9.9, 0.0, 10.0)]
    public void PeriodicSlot_After_NextTimeAtThePhase(double now, double phase, double expected) =>
        Assert.Equal(_t0.AddSeconds(expected), PeriodicSlot.After(_t0.AddSeconds(now), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(phase)));

    [Fact]
    public void PeriodicSlot_Phase_SpreadsMembersEvenly() =>
        Assert.Equal(
            [0, 2.5, 5, 7.5],
            Enumerable.Range(0, 4).Select(i => PeriodicSlot.Phase(i, 4, TimeSpan.FromSeconds(10)).TotalSeconds));
}
