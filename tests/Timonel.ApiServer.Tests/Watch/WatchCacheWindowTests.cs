using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Watch;
using Timonel.Storage.Memory;

namespace Timonel.ApiServer.Tests.Watch;

public sealed class WatchCacheWindowTests
{
    private const string Prefix = "/registry/configmaps/default/";

    [Theory]
    // (updates written, window upper bound, revision watched from, 410 expected)
    [InlineData(150, 100, 10, true)]
    [InlineData(150, 100, 49, true)]
    [InlineData(150, 100, 50, false)]
    [InlineData(150, 100, 140, false)]
    [InlineData(80, 100, 1, false)]
    public async Task Watch_FromARevisionOlderThanTheWindow_Answers410Gone(int updates, int upperBound, long from, bool gone)
    {
        await using var storage = new MemoryStorageBackend();
        await using var cache = new WatchCache(storage, NullLogger<WatchCache>.Instance, new ManualClock(), upperBound);
        await cache.StartAsync(CancellationToken.None);
        var last = await WriteAsync(storage, updates);
        await cache.WaitForRevisionAsync(last, CancellationToken.None);

        if (gone)
        {
            var error = Assert.Throws<StatusException>(() => cache.Watch(Prefix, from));
            Assert.Equal((410, "Expired"), (error.Code, error.Reason));
            Assert.Equal($"too old resource version: {from} ({updates - upperBound})", error.Message);
        }
        else
        {
            using var watcher = cache.Watch(Prefix, from);
            Assert.True(watcher.Events.TryRead(out var first));
            Assert.Equal(from + 1, first.Revision);
        }
    }

    [Fact]
    public async Task List_AfterTheWindowMovedOn_StillHoldsEveryObject()
    {
        await using var storage = new MemoryStorageBackend();
        await using var cache = new WatchCache(storage, NullLogger<WatchCache>.Instance, new ManualClock(), 100);
        await cache.StartAsync(CancellationToken.None);
        var last = await WriteAsync(storage, 500);
        await cache.WaitForRevisionAsync(last, CancellationToken.None);

        var (items, revision) = cache.List(Prefix);

        Assert.Equal(500, items.Count);
        Assert.Equal(last, revision);
        Assert.Throws<StatusException>(() => cache.Watch(Prefix, 1));
    }

    // One object per revision, each a new key: revision n is object n.
    private static async Task<long> WriteAsync(MemoryStorageBackend storage, int count)
    {
        var last = 0L;
        for (var i = 1; i <= count; i++)
        {
            last = (await storage.CreateAsync($"{Prefix}cm{i:D4}", "{\"metadata\":{}}"u8.ToArray())).Revision;
        }

        return last;
    }
}
