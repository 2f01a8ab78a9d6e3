using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Proxy;
using Timonel.Agent.Proxy.Iptables;

namespace Timonel.Agent.Tests.Proxy.Iptables;

public sealed class IptablesRulesWriterTests
{
    private readonly RecordingIptables _iptables = new();
    private readonly IptablesBackend _backend;
    private readonly ProxyServicePort _web = ProxyObjects.Port();
    private readonly ProxyServicePort _api = ProxyObjects.Port("api", "10.43.0.11");

    public IptablesRulesWriterTests()
    {
        _backend = new IptablesBackend(_iptables, "10.42.0.0/16", NullLogger.Instance);
    }

    [Fact]
    public async Task FirstSync_DeletesLeftoverChainsAndInsertsTheMissingJumps()
    {
        _iptables.NatSave = "*nat\n:PREROUTING ACCEPT [0:0]\n:TIMONEL-SERVICES - [0:0]\n:TIMONEL-SVC-OLDOLDOLDOLDOLDO - [0:0]\nCOMMIT\n";
        _iptables.ExistingRules.Add("-t nat PREROUTING -m comment --comment timonel service portals -j TIMONEL-SERVICES");

        await _backend.SyncAsync(NftablesBackendTests.Changes(("default/web", _web, ["10.42.0.5"])), default);

        var restore = Assert.Single(_iptables.Restores);
        Assert.Contains("-X TIMONEL-SVC-OLDOLDOLDOLDOLDO\n", restore, StringComparison.Ordinal);
        Assert.DoesNotContain("-X TIMONEL-SERVICES", restore, StringComparison.Ordinal);
        Assert.Contains($":{IptablesChains.Service(_web)} - [0:0]", restore, StringComparison.Ordinal);
        Assert.DoesNotContain(_iptables.Commands, c => c.StartsWith("-t nat -I PREROUTING", StringComparison.Ordinal));
        Assert.Contains(_iptables.Commands, c => c.StartsWith("-t nat -I OUTPUT", StringComparison.Ordinal));
        Assert.Contains(_iptables.Commands, c => c.StartsWith("-t filter -I INPUT -m conntrack --ctstate NEW", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LaterSync_OnlyTheChangedServicesChainsRewritten()
    {
        await _backend.SyncAsync(NftablesBackendTests.Changes(("default/web", _web, ["10.42.0.5"]), ("default/api", _api, ["10.42.0.7"])), default);

        await _backend.SyncAsync(NftablesBackendTests.Changes(("default/web", _web, ["10.42.0.6"])), default);

        var restore = _iptables.Restores[1];
        Assert.Contains($":{IptablesChains.Service(_web)} - [0:0]", restore, StringComparison.Ordinal);
        Assert.DoesNotContain($":{IptablesChains.Service(_api)}", restore, StringComparison.Ordinal);
        // The shared dispatch chain is rewritten whole: both Services stay reachable.
        Assert.Contains($"-d 10.43.0.11/32 -p tcp -m tcp --dport 80", restore, StringComparison.Ordinal);
        Assert.Contains($"-X {IptablesChains.Endpoint(_web, ProxyObjects.Endpoint("10.42.0.5"))}\n", restore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterSync_NothingChanged_NoRestore()
    {
        await _backend.SyncAsync(NftablesBackendTests.Changes(("default/web", _web, ["10.42.0.5"])), default);

        await _backend.SyncAsync(new Dictionary<string, IReadOnlyList<ServicePortEndpoints>>(), default);

        Assert.Single(_iptables.Restores);
    }
}
