using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Components;
using Timonel.Client.LeaderElection;
using Timonel.Client.Tests.LeaderElection;

namespace Timonel.Client.Tests.Components;

public sealed class LeaderElectedComponentTests
{
    private static readonly TimeSpan _step = TimeSpan.FromMilliseconds(500);
    private readonly FakeLeaseClient _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task StartAsync_TwoServers_LeaderRunsInnerAndFollowerIsReadyWithoutIt()
    {
        var (first, firstInner) = await StartedServerAsync("first");

        var (second, secondInner) = await StartedServerAsync("second");

        Assert.Equal("first", _store.Holder);
        Assert.True(Assert.Single(firstInner).Started);
        Assert.Empty(secondInner);
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task DisposeAsync_Leader_StopsInnerReleasesAndFollowerTakesOver()
    {
        var (first, firstInner) = await StartedServerAsync("first");
        var (second, secondInner) = await StartedServerAsync("second");

        await first.DisposeAsync();
        // Released: the follower takes it at its next retry, well within one lease duration.
        await _time.AdvanceUntilAsync(() => secondInner.Count == 1 && secondInner[0].Started, _step, TimeSpan.FromSeconds(5));

        Assert.True(firstInner[0].Disposed);
        Assert.Equal("second", _store.Holder);
        Assert.Equal(1, _store.Spec!.LeaseTransitions);
        await second.DisposeAsync();
        Assert.True(secondInner[0].Disposed);
    }

    [Fact]
    public async Task Run_LeaseLostAndRegained_BuildsAFreshInnerComponent()
    {
        var (server, inner) = await StartedServerAsync("first");

        _store.Unreachable = true;
        await _time.AdvanceUntilAsync(() => inner[0].Disposed, _step, TimeSpan.FromSeconds(30));
        _store.Unreachable = false;
        await _time.AdvanceUntilAsync(() => inner.Count == 2 && inner[1].Started, _step, TimeSpan.FromSeconds(30));

        Assert.Equal("first", _store.Holder);
        Assert.False(inner[1].Disposed);
        await server.DisposeAsync();
    }

    /// <summary>A server's leader-elected component, started and ready (leading, or following another holder).</summary>
    private async Task<(LeaderElectedComponent Component, List<FakeComponent> Built)> StartedServerAsync(string identity)
    {
        var built = new List<FakeComponent>();
        var resourceLock = new LeaseLock(_store, "kube-system", "kube-controller-manager", identity, events: null);
        var elector = new LeaderElector(resourceLock, new LeaderElectionConfig { ReleaseOnCancel = true }, _time, NullLogger.Instance);
        var component = new LeaderElectedComponent("controllers", () =>
        {
            var inner = new FakeComponent();
            built.Add(inner);
            return inner;
        }, elector, identity, NullLogger.Instance);
        await component.StartAsync(CancellationToken.None);
        await _time.AdvanceUntilAsync(() => component.Ready.IsCompleted, _step, TimeSpan.FromSeconds(5));
        return (component, built);
    }
}
