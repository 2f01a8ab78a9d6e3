using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Proxy;

// The service proxy's benchmarks (bench/service-proxy.sh runs them as root):
//   sync NETNS [SERVICES=1000] [ENDPOINTS=10] [ROUNDS=20]: with SERVICES × ENDPOINTS applied in the network namespace,
//     the time of one sync after one endpoint is added (or removed again): that Service's rules rebuilt, all diffed, and the
//     nft transaction applied, as the agent does on an EndpointSlice change.
//   iptables-sync NETNS [SERVICES=1000] [ENDPOINTS=10] [ROUNDS=20]: the same with the iptables-nft backend.
//   script CLUSTER_IP PORT NODE_PORT ENDPOINT_IP:PORT: the full nft script of one Service (for the wrk scenario).
return args switch
{
    ["sync", var netns, .. var rest] => await SyncTimeAsync(netns, Arg(rest, 0, 1000), Arg(rest, 1, 10), Arg(rest, 2, 20)),
    ["iptables-sync", var netns, .. var rest] => await IptablesSyncTimeAsync(netns, Arg(rest, 0, 1000), Arg(rest, 1, 10), Arg(rest, 2, 20)),
    ["script", var clusterIp, var port, var nodePort, var endpoint] => Script(clusterIp, int.Parse(port), int.Parse(nodePort), endpoint),
    _ => Usage(),
};

static int Arg(string[] rest, int index, int fallback) => rest.Length > index ? int.Parse(rest[index]) : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: sync|iptables-sync NETNS [SERVICES] [ENDPOINTS] [ROUNDS] | script CLUSTER_IP PORT NODE_PORT ENDPOINT_IP:PORT");
    return 2;
}

static int Script(string clusterIp, int port, int nodePort, string endpoint)
{
    var service = new ProxyServicePort { Namespace = "bench", Name = "web", PortName = "", Protocol = "tcp", ClusterIp = clusterIp, Port = port, NodePort = nodePort };
    var (ip, target) = (endpoint.Split(':')[0], int.Parse(endpoint.Split(':')[1]));
    var rules = new ProxyRuleBuilder("10.42.0.0/16").Build([(service, [new ProxyEndpoint(ip, target, true, true, false, true)])]);
    Console.Write(NftScript.Full(null, rules, out _));
    return 0;
}

static async Task<int> SyncTimeAsync(string netns, int services, int endpointsPerService, int rounds)
{
    var backend = new NftablesBackend(new NftCommand("ip", ["netns", "exec", netns, "nft"]), "10.42.0.0/16", TimeProvider.System, NullLogger.Instance);
    var writer = backend.Writer;
    var cluster = Cluster(services, endpointsPerService);

    var clock = Stopwatch.StartNew();
    await backend.SyncAsync(Changes(cluster), CancellationToken.None);
    Console.WriteLine($"initial full sync: {services} services x {endpointsPerService} endpoints, {writer.Applied!.Chains.Count} chains, {writer.Applied.ElementCount} map elements: {clock.ElapsedMilliseconds} ms");

    var changed = cluster[services / 2].Endpoints;
    var build = new List<double>();
    var total = new List<double>();
    var diff = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        await ChangeOneEndpointAsync(changed, round);
        clock.Restart();
        var desired = backend.Desired(Changes([cluster[services / 2]]));
        build.Add(clock.Elapsed.TotalMilliseconds);
        await writer.SyncAsync(desired, CancellationToken.None);
        total.Add(clock.Elapsed.TotalMilliseconds);

        // The diff alone, done again outside the measured sync: the rest of a sync is nft's.
        var applied = writer.Applied!;
        clock.Restart();
        _ = NftScript.Partial(applied, desired, [], out _);
        diff.Add(clock.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine($"sync after one endpoint changed ({rounds} rounds): p50 {Percentile(total, 50):F1} ms, p99 {Percentile(total, 99):F1} ms, max {total.Max():F1} ms (of which rules built: p50 {Percentile(build, 50):F1} ms; a diff of the whole table: p50 {Percentile(diff, 50):F1} ms)");
    return 0;
}

static async Task<int> IptablesSyncTimeAsync(string netns, int services, int endpointsPerService, int rounds)
{
    var backend = new Timonel.Agent.Proxy.Iptables.IptablesBackend(new Timonel.Agent.Proxy.Iptables.IptablesCommand("ip", ["netns", "exec", netns]), "10.42.0.0/16", NullLogger.Instance);
    var cluster = Cluster(services, endpointsPerService);
    var clock = Stopwatch.StartNew();
    await backend.SyncAsync(Changes(cluster), CancellationToken.None);
    Console.WriteLine($"iptables initial full sync: {services} services x {endpointsPerService} endpoints, {backend.Describe()}: {clock.ElapsedMilliseconds} ms");
    var total = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        await ChangeOneEndpointAsync(cluster[services / 2].Endpoints, round);
        clock.Restart();
        await backend.SyncAsync(Changes([cluster[services / 2]]), CancellationToken.None);
        total.Add(clock.Elapsed.TotalMilliseconds);
    }

    Console.WriteLine($"iptables sync after one endpoint changed ({rounds} rounds): p50 {Percentile(total, 50):F1} ms, p99 {Percentile(total, 99):F1} ms, max {total.Max():F1} ms");
    return 0;
}

static List<(ProxyServicePort Port, List<ProxyEndpoint> Endpoints)> Cluster(int services, int endpointsPerService) =>
    Enumerable.Range(0, services).Select(s => (
        Port: new ProxyServicePort { Namespace = "bench", Name = $"svc-{s}", PortName = "http", Protocol = "tcp", ClusterIp = $"10.43.{s / 250}.{(s % 250) + 2}", Port = 80 },
        Endpoints: Enumerable.Range(0, endpointsPerService).Select(e => new ProxyEndpoint($"10.42.{s / 25}.{(s % 25 * 10) + e + 2}", 8080, true, true, false, e % 2 == 0)).ToList()))
        .ToList();

// The agent's path: only the Services that changed are handed to the backend, which rebuilds only them.
static Dictionary<string, IReadOnlyList<ServicePortEndpoints>> Changes(IEnumerable<(ProxyServicePort Port, List<ProxyEndpoint> Endpoints)> services) =>
    services.ToDictionary(c => $"{c.Port.Namespace}/{c.Port.Name}", c => (IReadOnlyList<ServicePortEndpoints>)[new ServicePortEndpoints(c.Port, [.. c.Endpoints])]);

static async Task ChangeOneEndpointAsync(List<ProxyEndpoint> endpoints, int round)
{
    if (round % 2 == 0)
    {
        endpoints.Add(new ProxyEndpoint("10.42.250.250", 8080, true, true, false, true));
    }
    else
    {
        endpoints.RemoveAt(endpoints.Count - 1);
    }

    // Stale chains are deleted a second after they were left: let a few rounds include that deletion too.
    await Task.Delay(round % 4 == 3 ? 1100 : 50);
}

static double Percentile(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
}
