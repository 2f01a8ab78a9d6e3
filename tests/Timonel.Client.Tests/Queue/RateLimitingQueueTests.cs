using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Queue;
using Timonel.Testing.Time;

namespace Timonel.Client.Tests.Queue;

public sealed class RateLimitingQueueTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly RateLimitingQueue<string> _queue;

    public RateLimitingQueueTests() => _queue = new RateLimitingQueue<string>(_clock);

    public void Dispose() => _queue.Dispose();

    [Fact]
    public void AddRateLimited_FirstFailure_BackAfterFiveMilliseconds()
    {
        _queue.AddRateLimited("a");

        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromMilliseconds(5), () => _queue.Len);

        Assert.Equal((0, 1), queued);
        Assert.Equal(1, _queue.NumRequeues("a"));
    }

    [Fact]
    public async Task AddRateLimited_SecondFailure_BackAfterTenMilliseconds()
    {
        _queue.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        _queue.Done((await _queue.GetAsync()).Item);

        _queue.AddRateLimited("a");
        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromMilliseconds(10), () => _queue.Len);

        Assert.Equal((0, 1), queued);
    }

    [Fact]
    public async Task Forget_AfterFailures_NextFailureBackAfterFiveMilliseconds()
    {
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _queue.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        _queue.Done((await _queue.GetAsync()).Item);

        _queue.Forget("a");
        _queue.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(1, _queue.Len);
        Assert.Equal(1, _queue.NumRequeues("a"));
    }

    [Fact]
    public void AddRateLimited_BurstOfOneHundredSpent_OverallLimitDelaysEvenAFirstFailure()
    {
        for (var i = 0; i < 100; i++)
        {
            _queue.AddRateLimited($"key-{i}");
        }

        _queue.AddRateLimited("late");
        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromMilliseconds(100), () => _queue.Len);

        Assert.Equal((100, 101), queued);
    }
}
