using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.PodWorkers;

namespace Timonel.Agent.Tests.Kubelet.PodWorkers;

public sealed class BackoffTests
{
    [Fact]
    public void Next_Repeatedly_DoublesUpToFiveMinutes()
    {
        var time = new FakeTimeProvider();
        var backoff = new Backoff(time);

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            backoff.Next("k", time.GetUtcNow());
            delays.Add(backoff.Delay("k"));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([10, 20, 40, 80, 160, 300, 300], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Next_AfterTenQuietMinutes_StartsAgainAtTenSeconds()
    {
        var time = new FakeTimeProvider();
        var backoff = new Backoff(time);
        backoff.Next("k", time.GetUtcNow());
        backoff.Next("k", time.GetUtcNow());

        time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.False(backoff.IsInBackOffSince("k", time.GetUtcNow()));
        backoff.Next("k", time.GetUtcNow());

        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Delay("k"));
    }
}
