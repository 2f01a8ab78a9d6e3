using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests;

public sealed class AutoCompactorTests
{
    [Fact]
    public async Task CompactOnceAsync_LongHistory_KeepsTheNewestRevisions()
    {
        await using var store = await FiftyRevisionsAsync();

        await using var compactor = new AutoCompactor(store, new AutoCompactorOptions { MinRetain = 10 });
        var first = await compactor.CompactOnceAsync();
        var second = await compactor.CompactOnceAsync();

        Assert.Equal(40, first);
        Assert.Equal(40, await store.CompactedRevisionAsync());
        Assert.Equal(0, second);
        await Assert.ThrowsAsync<CompactedException>(() => store.ListAsync("/", new ListOptions(Revision: 39)));
    }

    [Fact]
    public async Task Start_HistoryFromBefore_CompactsSoonAfterStartWithoutWaitingAnInterval()
    {
        // A server restarted more often than the interval must still compact what earlier runs left.
        await using var store = await FiftyRevisionsAsync();

        await using var compactor = new AutoCompactor(store, new AutoCompactorOptions { MinRetain = 10, FirstAfter = TimeSpan.FromMilliseconds(20), Interval = TimeSpan.FromHours(1) });
        compactor.Start();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await store.CompactedRevisionAsync() == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.Equal(40, await store.CompactedRevisionAsync());
    }

    [Fact]
    public async Task CompactOnceAsync_ShortHistory_DoesNothing()
    {
        await using var store = new MemoryStorageBackend();
        await store.CreateAsync("/a", new byte[] { 0 });
        await using var compactor = new AutoCompactor(store);

        Assert.Equal(0, await compactor.CompactOnceAsync());
        Assert.Equal(0, await store.CompactedRevisionAsync());
    }

    // One key written 50 times: revisions 1 to 50.
    private static async Task<MemoryStorageBackend> FiftyRevisionsAsync()
    {
        var store = new MemoryStorageBackend();
        var revision = (await store.CreateAsync("/a", new byte[] { 0 })).Revision;
        for (var i = 0; i < 49; i++)
        {
            revision = (await store.UpdateAsync("/a", new byte[] { (byte)i }, revision)).Revision;
        }

        return store;
    }
}
