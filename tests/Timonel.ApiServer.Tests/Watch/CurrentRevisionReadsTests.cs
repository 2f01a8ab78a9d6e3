using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class CurrentRevisionReadsTests
{
    private readonly List<TaskCompletionSource<long>> _storeReads = [];

    [Fact]
    public async Task ReadAsync_CallersArrivingDuringARead_ShareTheNextReadNotTheRunningOne()
    {
        var reads = new CurrentRevisionReads(StoreRead);
        var first = reads.ReadAsync(CancellationToken.None);
        var second = reads.ReadAsync(CancellationToken.None);
        var third = reads.ReadAsync(CancellationToken.None);

        // The running read may have been answered before the later callers' writes: it must not serve them.
        _storeReads[0].SetResult(5);
        Assert.Equal(5, await first);
        Assert.False(second.IsCompleted);
        Assert.Equal(2, _storeReads.Count);
        _storeReads[1].SetResult(6);

        var later = await Task.WhenAll(second, third);
        Assert.Equal([6, 6], later);
        Assert.Equal(2, _storeReads.Count);
    }

    [Fact]
    public async Task ReadAsync_AfterAFailedRead_WaitersGetTheErrorAndLaterCallersReadAgain()
    {
        var reads = new CurrentRevisionReads(StoreRead);
        var first = reads.ReadAsync(CancellationToken.None);
        var second = reads.ReadAsync(CancellationToken.None);
        _storeReads[0].SetResult(1);
        await first;
        _storeReads[1].SetException(new IOException("etcd unreachable"));

        await Assert.ThrowsAsync<IOException>(() => second);
        var third = reads.ReadAsync(CancellationToken.None);
        _storeReads[2].SetResult(9);
        Assert.Equal(9, await third);
    }

    private Task<long> StoreRead(CancellationToken cancellationToken)
    {
        var read = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_storeReads)
        {
            _storeReads.Add(read);
        }

        return read.Task;
    }
}
