using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Proxy;

namespace Timonel.Agent.Tests.Proxy;

public sealed class NftablesBackendTests
{
    private readonly RecordingNftables _nft = new();
    private readonly NftablesBackend _backend;
    private readonly ProxyServicePort _web = ProxyObjects.Port();
    private readonly ProxyServicePort _api = ProxyObjects.Port("api", "10.43.0.11");

    public NftablesBackendTests()
    {
        _backend = new NftablesBackend(_nft, "10.42.0.0/16", new FakeTimeProvider(), NullLogger.Instance);
    }

    [Fact]
    public async Task Sync_OneServiceChanged_OnlyItsRulesRebuiltAndWritten()
    {
        await _backend.SyncAsync(Changes(("default/web", _web, ["10.42.0.5"]), ("default/api", _api, ["10.42.0.7"])), default);
        var apiChain = ProxyChainNames.Cluster(_api);
        var apiRules = _backend.Writer.Applied!.Chains[apiChain];

        await _backend.SyncAsync(Changes(("default/web", _web, ["10.42.0.5", "10.42.0.6"])), default);

        Assert.Same(apiRules, _backend.Writer.Applied!.Chains[apiChain]);
        Assert.Contains("10.42.0.6", _nft.Scripts[1], StringComparison.Ordinal);
        Assert.DoesNotContain(apiChain, _nft.Scripts[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_NothingChanged_NoTransaction()
    {
        await _backend.SyncAsync(Changes(("default/web", _web, ["10.42.0.5"])), default);

        await _backend.SyncAsync(new Dictionary<string, IReadOnlyList<ServicePortEndpoints>>(), default);

        Assert.Single(_nft.Scripts);
    }

    [Fact]
    public async Task Sync_ServiceGone_ItsChainsAndElementsLeaveTheTable()
    {
        await _backend.SyncAsync(Changes(("default/web", _web, ["10.42.0.5"]), ("default/api", _api, ["10.42.0.7"])), default);

        await _backend.SyncAsync(new Dictionary<string, IReadOnlyList<ServicePortEndpoints>> { ["default/api"] = [] }, default);

        Assert.DoesNotContain(ProxyChainNames.Cluster(_api), _backend.Writer.Applied!.Chains.Keys);
        Assert.Contains($"flush chain ip timonel {ProxyChainNames.Cluster(_api)}", _nft.Scripts[1], StringComparison.Ordinal);
        Assert.Contains("delete element ip timonel service-ips { 10.43.0.11 . tcp . 80 }", _nft.Scripts[1], StringComparison.Ordinal);
    }

    internal static Dictionary<string, IReadOnlyList<ServicePortEndpoints>> Changes(params (string Key, ProxyServicePort Port, string[] Ips)[] services) =>
        services.ToDictionary(s => s.Key, s => (IReadOnlyList<ServicePortEndpoints>)[new ServicePortEndpoints(s.Port, [.. s.Ips.Select(ip => ProxyObjects.Endpoint(ip))])]);
}
