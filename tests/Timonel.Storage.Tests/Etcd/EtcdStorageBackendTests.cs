using Timonel.Storage.Etcd;

namespace Timonel.Storage.Tests.Etcd;

public sealed class EtcdStorageBackendTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [SkippableFact]
    public async Task WatchAsync_EtcdRestartsMidWatch_ResumesAfterTheLastEvent()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        await using var store = new EtcdStorageBackend(fixture.Etcd!.Endpoint);
        var before = await store.CreateAsync("/restart/a", new byte[] { 1 });
        await using var watch = new WatchReader(store, "/restart/", before.Revision);
        var second = await store.CreateAsync("/restart/b", new byte[] { 2 });
        Assert.Equal(second.Revision, (await watch.NextAsync()).Revision);

        await fixture.Etcd.RestartAsync();
        var third = await store.CreateAsync("/restart/c", new byte[] { 3 });
        var resumed = await watch.NextAsync();

        Assert.Equal(third.Revision, resumed.Revision);
        Assert.Equal("/restart/c", resumed.Current.Key);
    }

    [SkippableFact]
    public async Task CompactedRevisionAsync_NeverCompacted_IsZero()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        await using var store = new EtcdStorageBackend(fixture.Etcd!.Endpoint);
        await store.CreateAsync("/fresh/a", new byte[] { 1 });

        Assert.Equal(0, await store.CompactedRevisionAsync());
    }
}
