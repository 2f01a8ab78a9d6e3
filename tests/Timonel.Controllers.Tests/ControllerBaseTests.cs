using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Timonel.Testing.Informers;
using Timonel.Testing.Time;

namespace Timonel.Controllers.Tests;

public sealed class ControllerBaseTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly ScriptedController _controller;

    public ControllerBaseTests() => _controller = new ScriptedController(_clock);

    public void Dispose() => _controller.Dispose();

    [Fact]
    public async Task ProcessNextAsync_SyncThrows_KeyRetriedAfterFiveMilliseconds()
    {
        _controller.ThenFail().Add("a");

        await _controller.ProcessNextAsync(CancellationToken.None);
        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromMilliseconds(5), () => _controller.Queue.Len);

        Assert.Equal((0, 1), queued);
        Assert.Equal(1, _controller.Queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ProcessNextAsync_SyncThrowsAgain_BackoffDoubles()
    {
        _controller.ThenFail().ThenFail().Add("a");
        await _controller.ProcessNextAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(5));

        await _controller.ProcessNextAsync(CancellationToken.None);
        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromMilliseconds(10), () => _controller.Queue.Len);

        Assert.Equal((0, 1), queued);
        Assert.Equal(2, _controller.Queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ProcessNextAsync_SyncSucceedsAfterAFailure_FailuresForgottenAndNotRequeued()
    {
        _controller.ThenFail().Add("a");
        await _controller.ProcessNextAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(5));

        await _controller.ProcessNextAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["a", "a"], _controller.Synced);
        Assert.Equal(0, _controller.Queue.NumRequeues("a"));
        Assert.Equal((0, 0), (_controller.Queue.Len, _controller.Queue.Waiting));
    }

    [Fact]
    public async Task ProcessNextAsync_RequeueAsked_BackAfterThatDelayWithFailuresForgotten()
    {
        _controller.ThenFail().Then(_ => SyncResult.Requeue(TimeSpan.FromSeconds(30))).Add("a");
        await _controller.ProcessNextAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(5));

        await _controller.ProcessNextAsync(CancellationToken.None);
        var queued = _clock.ReadBeforeAndAt(TimeSpan.FromSeconds(30), () => _controller.Queue.Len);

        Assert.Equal((0, 1), queued);
        Assert.Equal(0, _controller.Queue.NumRequeues("a"));
    }

    [Fact]
    public async Task ProcessNextAsync_KeyQueuedAgainDuringItsSync_SyncedAgainAfterwards()
    {
        _controller.Then(key =>
        {
            _controller.Add(key);
            return SyncResult.Done;
        }).Add("a");

        await _controller.ProcessNextAsync(CancellationToken.None);

        Assert.Equal(1, _controller.Queue.Len);
    }

    [Fact]
    public async Task ProcessNextAsync_QueueShutDown_False()
    {
        _controller.Queue.ShutDown();

        Assert.False(await _controller.ProcessNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_InformersSyncLate_KeysQueuedMeanwhileSyncedOnceTheyHave()
    {
        var namespaces = new TestInformer<V1Namespace>(synced: false);
        using var controller = new ScriptedController(_clock, namespaces.Informer);
        controller.Add("a");
        await controller.StartAsync(CancellationToken.None);

        namespaces.MarkSynced();

        Assert.Equal("a", await controller.NextSync.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await controller.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_WorkersRunning_TheyEndAndLaterKeysAreIgnored()
    {
        var namespaces = new TestInformer<V1Namespace>();
        using var controller = new ScriptedController(_clock, namespaces.Informer);
        await controller.StartAsync(CancellationToken.None);

        await controller.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        controller.Add("late");

        Assert.True(controller.Queue.ShuttingDown);
        Assert.Equal(0, controller.Queue.Len);
    }
}
