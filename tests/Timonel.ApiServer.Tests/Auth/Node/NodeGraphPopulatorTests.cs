using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Auth.Node;

namespace Timonel.ApiServer.Tests.Auth.Node;

public sealed class NodeGraphPopulatorTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Start_PodStoredBefore_InTheGraphAtOnce()
    {
        await _harness.Store("", "pods").CreateAsync("default", NodeGraphTests.Pod("web", "n1"), dryRun: false, CancellationToken.None);
        await _harness.Cache.WaitForRevisionAsync(await _harness.Storage.CurrentRevisionAsync(CancellationToken.None), CancellationToken.None);

        var graph = NodeGraphPopulator.Start(_harness.Cache, NullLogger.Instance);

        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
    }

    [Fact]
    public async Task Start_PodCreatedThenDeleted_GraphFollows()
    {
        var graph = NodeGraphPopulator.Start(_harness.Cache, NullLogger.Instance);
        var pods = _harness.Store("", "pods");

        await pods.CreateAsync("default", NodeGraphTests.Pod("web", "n1"), dryRun: false, CancellationToken.None);
        var related = await EventuallyAsync(() => graph.HasPath("n1", VertexType.Secret, "default", "mounted"));
        await pods.DeleteAsync("default", "web", new Timonel.ApiServer.Registry.DeleteOptions(GracePeriodSeconds: 0), CancellationToken.None);
        var unrelated = await EventuallyAsync(() => !graph.HasPath("n1", VertexType.Secret, "default", "mounted"));

        Assert.True(related);
        Assert.True(unrelated);
    }

    // The graph follows the cache asynchronously, as upstream's informers do: wait for it, within reason.
    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        return condition();
    }
}
