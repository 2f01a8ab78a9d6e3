using System.Diagnostics;
using System.Text.Json.Nodes;
using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// Two <c>timonel server</c> processes on one etcd, as K3s servers on an external datastore: exactly one runs the
/// controllers (it holds kube-system/kube-controller-manager), the other takes over when the leader is killed; the
/// kubernetes service's Endpoints list both servers, then only the survivor.
/// </summary>
public sealed class LeaderElectionAcrossServersTests : IDisposable
{
    private const string Acquired = "successfully acquired lease kube-system/kube-controller-manager";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "timonel-leader-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task TwoServers_LeaderKilled_OtherTakesLeaseAndEndpointsDropTheKilledServer()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        await using var etcd = await EtcdProcess.StartAsync();
        // Documentation addresses (RFC 5737) that Endpoints validation accepts, one per server, on one advertised port
        // as servers behind the kubernetes service share one.
        await using var first = Start("first", "192.0.2.1", etcd.Endpoint);
        await using var second = Start("second", "192.0.2.2", etcd.Endpoint);
        await WaitReadyAsync(first);
        await WaitReadyAsync(second);
        using var viaFirst = first.CreateClient();
        using var viaSecond = second.CreateClient();

        var holder = await EventuallyAsync(() => HolderAsync(viaFirst), h => h.Length > 0, "a holder of kube-system/kube-controller-manager");
        var bothListed = await EventuallyAsync(() => EndpointAddressesAsync(viaFirst), a => a == "192.0.2.1,192.0.2.2", "both servers in the kubernetes Endpoints");
        await EventuallyAsync(() => Task.FromResult(Leaders(first, second).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), n => n != "0", "a server to log the acquired lease");
        var leader = Assert.Single(Leaders(first, second));
        var follower = leader == first ? second : first;
        var followerAddress = follower == first ? "192.0.2.1" : "192.0.2.2";

        await leader.KillAsync();
        var newHolder = await EventuallyAsync(() => HolderAsync(viaSurvivor()), h => h.Length > 0 && h != holder, "the survivor to take the lease");
        var survivorListed = await EventuallyAsync(() => EndpointAddressesAsync(viaSurvivor()), a => a == followerAddress, "only the survivor in the kubernetes Endpoints");
        var slice = await EventuallyAsync(() => SliceAddressesAsync(viaSurvivor()), a => a == followerAddress, "only the survivor in the kubernetes EndpointSlice");

        Assert.Equal("192.0.2.1,192.0.2.2", bothListed);
        Assert.Contains("new leader elected: " + holder, follower.Output, StringComparison.Ordinal);
        Assert.Contains(Acquired, follower.Output, StringComparison.Ordinal);
        Assert.NotEqual(holder, newHolder);
        Assert.Equal(followerAddress, survivorListed);
        Assert.Equal(followerAddress, slice);

        HttpClient viaSurvivor() => follower == first ? viaFirst : viaSecond;
    }

    [SkippableFact]
    public async Task TwoServers_OneStopsGracefully_EndpointsDropItAtOnceAndTheOtherLeads()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        await using var etcd = await EtcdProcess.StartAsync();
        // One after the other, so the first leads.
        await using var first = Start("first", "192.0.2.1", etcd.Endpoint);
        await WaitReadyAsync(first);
        await using var second = Start("second", "192.0.2.2", etcd.Endpoint);
        await WaitReadyAsync(second);
        using var viaSecond = second.CreateClient();
        await EventuallyAsync(() => EndpointAddressesAsync(viaSecond), a => a == "192.0.2.1,192.0.2.2", "both servers in the kubernetes Endpoints");

        var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(30));
        // Removed on the way out, without waiting for its record to expire.
        var endpoints = await EndpointAddressesAsync(viaSecond);
        // The first started first and led; it handed the lease back, so the second takes it at its next retry.
        await EventuallyAsync(() => Task.FromResult(Leaders(second).Count == 1 ? "leads" : ""), s => s == "leads", "the second server to take the lease");

        Assert.Equal(0, exitCode);
        Assert.Equal("192.0.2.2", endpoints);
        Assert.Contains(Acquired, first.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ServerProcess Start(string name, string address, string etcd) =>
        ServerProcess.Start(Path.Combine(_directory, name), "--datastore-endpoint", etcd, "--advertise-address", address, "--advertise-port", "6443");

    private static async Task WaitReadyAsync(ServerProcess server) =>
        Assert.True(await server.WaitReadyAsync(_startTimeout), $"the server in {server.DataDir} did not become ready:\n" + server.Output);

    private static List<ServerProcess> Leaders(params ServerProcess[] servers) =>
        [.. servers.Where(s => s.Output.Contains(Acquired, StringComparison.Ordinal))];

    private static async Task<string> HolderAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager");
        var lease = await ApiHttp.ReadObjectAsync(response);
        return lease?["spec"]?["holderIdentity"]?.GetValue<string>() ?? "";
    }

    private static async Task<string> EndpointAddressesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/namespaces/default/endpoints/kubernetes");
        var endpoints = await ApiHttp.ReadObjectAsync(response);
        var addresses = (endpoints?["subsets"]?[0]?["addresses"] as JsonArray ?? []).Select(a => a?["ip"]?.GetValue<string>());
        return string.Join(',', addresses);
    }

    private static async Task<string> SliceAddressesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
        var slice = await ApiHttp.ReadObjectAsync(response);
        var addresses = (slice?["endpoints"] as JsonArray ?? []).Select(e => e?["addresses"]?[0]?.GetValue<string>());
        return string.Join(',', addresses);
    }

    /// <summary>Reads until the value satisfies <paramref name="done"/>; fails with the last value after a minute and a half.</summary>
    private static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> done, string what)
    {
        var waited = Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                last = await read();
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"waited 90 s for {what}; last seen: {last}");
        return last;
    }
}
