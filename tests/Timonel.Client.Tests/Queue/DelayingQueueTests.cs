using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Queue;

namespace Timonel.Client.Tests.Queue;

public sealed class DelayingQueueTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly DelayingQueue<string> _queue;

    public DelayingQueueTests() => _queue = new DelayingQueue<string>(_clock);

    public void Dispose() => _queue.Dispose();

    [Fact]
    public void AddAfter_DelayNotYetPassed_KeyWaits()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromMilliseconds(999));

        Assert.Equal((0, 1), (_queue.Len, _queue.Waiting));
    }

    [Fact]
    public void AddAfter_DelayPassed_KeyQueued()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((1, 0), (_queue.Len, _queue.Waiting));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AddAfter_NoDelay_QueuedAtOnce(int milliseconds)
    {
        _queue.AddAfter("a", TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(1, _queue.Len);
    }

    [Theory]
    [InlineData(10, 2)]
    [InlineData(2, 10)]
    public void AddAfter_KeyAlreadyWaiting_KeepsTheEarlierTime(int firstSeconds, int secondSeconds)
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(firstSeconds));
        _queue.AddAfter("a", TimeSpan.FromSeconds(secondSeconds));

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((1, 0), (_queue.Len, _queue.Waiting));
    }

    [Fact]
    public async Task AddAfter_SeveralKeys_QueuedInTheOrderTheyAreDue()
    {
        _queue.AddAfter("late", TimeSpan.FromSeconds(3));
        _queue.AddAfter("early", TimeSpan.FromSeconds(1));
        _queue.AddAfter("middle", TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var afterOne = _queue.Len;
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(1, afterOne);
        Assert.Equal("early", (await _queue.GetAsync()).Item);
        Assert.Equal("middle", (await _queue.GetAsync()).Item);
        Assert.Equal("late", (await _queue.GetAsync()).Item);
    }

    [Fact]
    public async Task ShutDown_KeysWaiting_NeverQueued()
    {
        _queue.AddAfter("a", TimeSpan.FromSeconds(1));

        _queue.ShutDown();
        _clock.Advance(TimeSpan.FromSeconds(5));
        _queue.AddAfter("b", TimeSpan.FromSeconds(1));

        Assert.Equal((0, 0), (_queue.Len, _queue.Waiting));
        Assert.True((await _queue.GetAsync()).ShutDown);
    }
}
