using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class SyncLoopTests
{
    [Fact]
    public async Task Request_ManyWhileASyncRuns_CoalesceIntoOneMore()
    {
        var syncs = 0;
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var secondDone = new TaskCompletionSource();
        SyncLoop? loop = null;
        loop = new SyncLoop(
            async _ =>
            {
                if (Interlocked.Increment(ref syncs) == 1)
                {
                    firstStarted.SetResult();
                    await release.Task;
                }
                else
                {
                    secondDone.TrySetResult();
                }
            },
            TimeSpan.Zero,
            TimeSpan.FromHours(1),
            TimeProvider.System,
            NullLogger.Instance);
        using var stopping = new CancellationTokenSource();
        var running = loop.RunAsync(stopping.Token);

        loop.Request();
        await firstStarted.Task;
        for (var i = 0; i < 10; i++)
        {
            loop.Request();
        }

        release.SetResult();
        await secondDone.Task;
        await stopping.CancelAsync();
        await running;

        Assert.Equal(2, syncs);
    }
}
