using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class EventWindowTests
{
    [Theory]
    // (events written, upper bound, events kept, oldest revision a watch can start after)
    [InlineData(50, 100, 50, 0)]
    [InlineData(100, 100, 100, 0)]
    [InlineData(101, 100, 100, 1)]
    [InlineData(1_000, 300, 300, 700)]
    public void Add_MoreEventsThanTheUpperBound_KeepsTheNewest(int written, int upperBound, int kept, long oldest)
    {
        var window = new EventWindow(0, new ManualClock(), upperBound);

        for (var revision = 1; revision <= written; revision++)
        {
            window.Add(Event(revision));
        }

        Assert.Equal((kept, oldest), (window.Count, window.OldestReplayable));
    }

    [Theory]
    // (seconds between events, events written, events kept): 75 s of events stay, never fewer than the newest 100.
    [InlineData(0.25, 400, 301)]
    [InlineData(0.5, 400, 151)]
    [InlineData(1, 400, 100)]
    [InlineData(10, 300, 100)]
    [InlineData(0, 2_000, 2_000)]
    public void Add_EventsOlderThan75Seconds_AreDroppedDownToTheLowerBound(double secondsApart, int written, int kept)
    {
        var clock = new ManualClock();
        var window = new EventWindow(0, clock);

        for (var revision = 1; revision <= written; revision++)
        {
            window.Add(Event(revision));
            clock.Advance(TimeSpan.FromSeconds(secondsApart));
        }

        Assert.Equal(kept, window.Count);
        Assert.Equal(written - kept, window.OldestReplayable);
    }

    [Fact]
    public void Since_ARevisionAndPrefix_ReturnsLaterEventsUnderThePrefixInOrder()
    {
        var window = new EventWindow(0, new ManualClock());
        window.Add(Event(1, "/registry/configmaps/a/x"));
        window.Add(Event(2, "/registry/configmaps/b/x"));
        window.Add(Event(3, "/registry/configmaps/a/y"));
        window.Add(Event(4, "/registry/configmaps/a/x"));

        Assert.Equal([3L, 4L], window.Since(1, "/registry/configmaps/a/").Select(e => e.Revision));
    }

    private static CachedEvent Event(long revision, string key = "/registry/configmaps/default/x") =>
        new("MODIFIED", key, revision, "{\"metadata\":{}}"u8.ToArray());
}
