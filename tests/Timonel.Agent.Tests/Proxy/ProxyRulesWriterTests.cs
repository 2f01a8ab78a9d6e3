using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class ProxyRulesWriterTests
{
    private readonly RecordingNftables _nft = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ProxyRulesWriter _writer;
    private readonly ProxyServicePort _web = ProxyObjects.Port();
    private readonly ProxyEndpoint _endpoint = ProxyObjects.Endpoint("10.42.0.5");

    public ProxyRulesWriterTests()
    {
        _writer = new ProxyRulesWriter(_nft, _time, NullLogger.Instance);
    }

    [Fact]
    public async Task Sync_FirstThenSame_OneFullTransactionThenNothing()
    {
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);

        var script = Assert.Single(_nft.Scripts);
        Assert.StartsWith("add table ip timonel\ndelete table ip timonel\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_AfterAChange_OnlyTheDifference()
    {
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);

        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint, ProxyObjects.Endpoint("10.42.0.6")])), default);

        Assert.DoesNotContain("table", _nft.Scripts[1], StringComparison.Ordinal);
        Assert.DoesNotContain("flush map", _nft.Scripts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_AfterAFailure_RebuildsTheWholeTable()
    {
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);
        _nft.FailNext = true;

        await Assert.ThrowsAsync<NftablesException>(() => _writer.SyncAsync(ProxyObjects.Rules((_web, [])), default));
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [])), default);

        Assert.StartsWith("add table ip timonel\ndelete table ip timonel\n", _nft.Scripts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnusedChains_DeletedBySyncASecondLaterNotBefore()
    {
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [])), default);
        var endpointChain = ProxyChainNames.Endpoint(_web, _endpoint);

        _time.Advance(TimeSpan.FromMilliseconds(500));
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [])), default);
        _time.Advance(TimeSpan.FromMilliseconds(600));
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [])), default);

        Assert.Equal(3, _nft.Scripts.Count);
        Assert.Contains($"delete chain ip timonel {endpointChain}\n", _nft.Scripts[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_AnHourAfterTheLastFullSync_FullAgainWithoutDeletingTheTable()
    {
        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);
        _time.Advance(ProxyRulesWriter.FullSyncPeriod);

        await _writer.SyncAsync(ProxyObjects.Rules((_web, [_endpoint])), default);

        Assert.Contains("flush map ip timonel service-ips", _nft.Scripts[1], StringComparison.Ordinal);
        Assert.DoesNotContain("delete table", _nft.Scripts[1], StringComparison.Ordinal);
    }
}
