using Timonel.Client.Queue;

namespace Timonel.Client.Tests.Queue;

public sealed class WorkQueueTests : IDisposable
{
    private readonly WorkQueue<string> _queue = new();

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Add_KeysInOrder_HandedOutFirstInFirstOut()
    {
        _queue.Add("a");
        _queue.Add("b");

        Assert.Equal("a", await GetAsync());
        Assert.Equal("b", await GetAsync());
    }

    [Fact]
    public void Add_KeyAlreadyWaiting_QueuedOnce()
    {
        _queue.Add("a");
        _queue.Add("b");
        _queue.Add("a");

        Assert.Equal(2, _queue.Len);
    }

    [Fact]
    public async Task Add_WhileProcessing_HandedOutAgainOnlyAfterDone()
    {
        _queue.Add("a");
        var key = await GetAsync();

        _queue.Add("a");
        _queue.Add("a");
        var whileProcessing = _queue.Len;
        _queue.Done(key);

        Assert.Equal(0, whileProcessing);
        Assert.Equal(1, _queue.Len);
        Assert.Equal("a", await GetAsync());
    }

    [Fact]
    public async Task Done_NotAddedMeanwhile_NotHandedOutAgain()
    {
        _queue.Add("a");
        _queue.Done(await GetAsync());

        Assert.Equal(0, _queue.Len);
    }

    [Fact]
    public async Task GetAsync_EmptyQueue_WaitsUntilAKeyIsAdded()
    {
        var waiting = _queue.GetAsync();
        var beforeAdd = waiting.IsCompleted;

        _queue.Add("a");

        Assert.False(beforeAdd);
        Assert.Equal(("a", false), await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task GetAsync_CancelledWhileWaiting_LosesNoKey()
    {
        using var cancel = new CancellationTokenSource();
        var abandoned = _queue.GetAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        _queue.Add("a");

        Assert.Equal("a", await GetAsync());
    }

    [Fact]
    public async Task ShutDown_KeysStillQueued_HandedOutThenShutDownForEveryWorker()
    {
        _queue.Add("a");
        _queue.ShutDown();
        _queue.Add("b");

        Assert.Equal(("a", false), await _queue.GetAsync());
        Assert.True((await _queue.GetAsync()).ShutDown);
        Assert.True((await _queue.GetAsync()).ShutDown);
    }

    [Fact]
    public async Task ShutDown_WorkersWaiting_AllToldToStop()
    {
        var first = _queue.GetAsync();
        var second = _queue.GetAsync();

        _queue.ShutDown();

        Assert.True((await first.WaitAsync(TimeSpan.FromSeconds(10))).ShutDown);
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(10))).ShutDown);
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_KeyBeingProcessed_CompletesOnlyAfterItsDone()
    {
        _queue.Add("a");
        var key = await GetAsync();

        var drained = _queue.ShutDownWithDrainAsync();
        var beforeDone = drained.IsCompleted;
        _queue.Done(key);

        Assert.False(beforeDone);
        await drained.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_queue.ShuttingDown);
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_NothingBeingProcessed_CompletesAtOnce()
    {
        _queue.Add("a");

        await _queue.ShutDownWithDrainAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("a", false), await _queue.GetAsync());
    }

    [Fact]
    public async Task ShutDown_WhileDraining_StopsTheWait()
    {
        _queue.Add("a");
        await GetAsync();
        var drained = _queue.ShutDownWithDrainAsync();

        _queue.ShutDown();

        await drained.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_AfterAPlainShutDown_StillWaitsForKeysBeingProcessed()
    {
        _queue.Add("a");
        var key = await GetAsync();
        _queue.ShutDown();

        var drained = _queue.ShutDownWithDrainAsync();
        var beforeDone = drained.IsCompleted;
        _queue.Done(key);

        Assert.False(beforeDone);
        await drained.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetAsync_ManyWorkersAndKeysAddedConcurrently_NoKeyHeldByTwoWorkersAndEveryLastAddProcessed()
    {
        var held = new HashSet<string>();
        var overlaps = 0;
        var processedAfterLastAdd = new HashSet<string>();
        var lastAddsDone = false;

        async Task WorkAsync()
        {
            while (await _queue.GetAsync() is (var key, false))
            {
                lock (held)
                {
                    overlaps += held.Add(key) ? 0 : 1;
                    if (Volatile.Read(ref lastAddsDone))
                    {
                        processedAfterLastAdd.Add(key);
                    }
                }

                await Task.Yield();
                lock (held)
                {
                    held.Remove(key);
                }

                _queue.Done(key);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(WorkAsync)).ToList();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                _queue.Add($"key-{i % 10}");
            }
        })));
        Volatile.Write(ref lastAddsDone, true);
        for (var i = 0; i < 10; i++)
        {
            _queue.Add($"key-{i}");
        }

        await _queue.ShutDownWithDrainAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, overlaps);
        Assert.Equal(10, processedAfterLastAdd.Count);
    }

    private async Task<string> GetAsync()
    {
        var (item, shutDown) = await _queue.GetAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(shutDown);
        return item;
    }
}
