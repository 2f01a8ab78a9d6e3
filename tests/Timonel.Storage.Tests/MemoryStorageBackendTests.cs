using System.Text;
using Timonel.Storage.Memory;

namespace Timonel.Storage.Tests;

public sealed class MemoryStorageBackendTests
{
    [Fact]
    public async Task UpdateAsync_StaleRevision_FailsAndReturnsCurrent()
    {
        await using var store = new MemoryStorageBackend();
        var created = await store.CreateAsync("/a", Encoding.UTF8.GetBytes("1"));
        var updated = await store.UpdateAsync("/a", Encoding.UTF8.GetBytes("2"), created.Revision);
        var stale = await store.UpdateAsync("/a", Encoding.UTF8.GetBytes("3"), created.Revision);

        Assert.True(updated.Succeeded);
        Assert.False(stale.Succeeded);
        Assert.Equal("2", Encoding.UTF8.GetString(stale.Current!.Value));
    }
}
