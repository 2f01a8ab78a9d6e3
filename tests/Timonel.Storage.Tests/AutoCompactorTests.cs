using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests;

public sealed class AutoCompactorTests
{
    [Fact]
    public async Task CompactOnceAsync_LongHistory_KeepsTheNewestRevisions()
    {
        await using var store = new MemoryStorageBackend();
        var revision = (await store.CreateAsync("/a", new byte[] { 0 })).Revision;
        for (var i = 0; i < 49; i++)
        {
            revision = (await store.UpdateAsync("/a", new byte[] { (byte)i }, revision)).Revision;
        }

        await using var compactor = new AutoCompactor(store, new AutoCompactorOptions { MinRetain = 10 });
        var first = await compactor.CompactOnceAsync();
        var second = await compactor.CompactOnceAsync();

        Assert.Equal(40, first);
        Assert.Equal(40, await store.CompactedRevisionAsync());
        Assert.Equal(0, second);
        await Assert.ThrowsAsync<CompactedException>(() => store.ListAsync("/", new ListOptions(Revision: 39)));
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
}
