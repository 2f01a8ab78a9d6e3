namespace Timonel.IntegrationTests;

/// <summary>
/// The cloud controller manager of <c>timonel server</c> with the built-in local provider, through the real kubectl:
/// LoadBalancer Services get an address (one of <c>--lb-address-pool</c> each, or the nodes' addresses), the cleanup
/// finalizer and the service controller's events; addresses are released on deletion and type change and kept across
/// a restart; Nodes get their providerID and labels from the provider.
/// </summary>
public sealed class LoadBalancerServiceTests : IDisposable
{
    private const string Finalizer = "service.kubernetes.io/load-balancer-cleanup";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan _settleTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-lb-" + Guid.NewGuid().ToString("N")[..10]);

    private Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    [SkippableFact]
    public async Task AddressPool_OneAddressPerServiceReleasedOnDeleteAndTypeChangeAndKeptAcrossARestart()
    {
        SkipUnlessRunnable();
        // The Ingress controller's own Service would take a pool address too (the next test shows it).
        string[] pool = ["--lb-address-pool", "192.0.2.10-192.0.2.11", "--disable", "ingress"];
        await using (var server = ServerProcess.Start(_dataDir, pool))
        {
            Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
            await CreateServiceAsync("first");
            Assert.Equal("192.0.2.10", await IngressAsync("first", ip => ip.Length > 0));
            await CreateServiceAsync("second");
            Assert.Equal("192.0.2.11", await IngressAsync("second", ip => ip.Length > 0));
            await CreateServiceAsync("third");

            Assert.Contains(Finalizer, await GetAsync("svc", "first", "{.metadata.finalizers}"));
            // No node runs here: upstream's UnAvailableLoadBalancer warning comes in between, the pool needing none.
            Assert.Equal(["EnsuringLoadBalancer", "EnsuredLoadBalancer"], (await ReasonsAsync("first", until: r => r.Contains("EnsuredLoadBalancer"))).Where(r => r != "UnAvailableLoadBalancer").Distinct());
            Assert.Contains("SyncLoadBalancerFailed", await ReasonsAsync("third", until: r => r.Contains("SyncLoadBalancerFailed")));
            Assert.Matches(@"^third\s+LoadBalancer\s+\S+\s+<pending>\s+80:\d+/TCP", (await Kubectl.RunAsync("get", "svc", "third", "--no-headers")).EnsureSuccess().Stdout);

            // Deleting the first frees its address for the one waiting; the Service goes once its balancer has.
            (await Kubectl.RunAsync("delete", "svc", "first", "--wait=true", "--timeout=60s")).EnsureSuccess();
            Assert.Equal("192.0.2.10", await IngressAsync("third", ip => ip.Length > 0));
            Assert.Contains("DeletedLoadBalancer", await ReasonsAsync("first", until: r => r.Contains("DeletedLoadBalancer")));

            // A type change to ClusterIP deletes the balancer: the finalizer and the address go.
            (await Kubectl.RunAsync("patch", "svc", "second", "--type=json", "-p", """[{"op":"replace","path":"/spec/type","value":"ClusterIP"},{"op":"remove","path":"/spec/ports/0/nodePort"}]""")).EnsureSuccess();
            Assert.Equal("", await IngressAsync("second", ip => ip.Length == 0));
            Assert.DoesNotContain(Finalizer, await GetAsync("svc", "second", "{.metadata.finalizers}"));
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        await using (var restarted = ServerProcess.Start(_dataDir, pool))
        {
            Assert.True(await restarted.WaitReadyAsync(_startTimeout), "the server did not become ready again:\n" + restarted.Output);
            await CreateServiceAsync("fourth");

            Assert.Equal("192.0.2.11", await IngressAsync("fourth", ip => ip.Length > 0));
            Assert.Equal("192.0.2.10", await IngressAsync("third", ip => ip.Length > 0));
        }
    }

    [SkippableFact]
    public async Task NodeAddresses_ServiceGetsTheNodesAddressesAndNodesTheirProviderIdAndZone()
    {
        SkipUnlessRunnable();
        await using var server = ServerProcess.Start(_dataDir, "--simulated-nodes", "2", "--cloud-zone", "zone-a", "--cloud-region", "region-1");
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        await CreateServiceAsync("web");

        var addresses = await GetUntilAsync("svc", "web", "{.status.loadBalancer.ingress[*].ip}", value => value.Split(' ').Length == 2);
        var internalIps = await GetUntilAsync("nodes", null, "{.items[*].status.addresses[?(@.type==\"InternalIP\")].address}", value => value.Split(' ').Length == 2);
        var node = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;
        var providerId = await GetUntilAsync("node", node, "{.spec.providerID}", value => value.Length > 0);
        var labels = await GetUntilAsync("node", node, "{.metadata.labels}", value => value.Contains("topology.kubernetes.io/zone", StringComparison.Ordinal));

        Assert.Equal(internalIps.Split(' ').Order(StringComparer.Ordinal), addresses.Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal("timonel://" + node, providerId);
        Assert.Contains("\"topology.kubernetes.io/zone\":\"zone-a\"", labels, StringComparison.Ordinal);
        Assert.Contains("\"topology.kubernetes.io/region\":\"region-1\"", labels, StringComparison.Ordinal);
        Assert.Contains("\"node.kubernetes.io/instance-type\":\"timonel\"", labels, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task IngressControllersService_TakesAPoolAddress_ServersAreItsEndpoints_IngressesShowItsAddress()
    {
        SkipUnlessRunnable();
        await using var server = ServerProcess.Start(_dataDir, "--lb-address-pool", "192.0.2.20/32");
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);

        var address = await GetUntilAsync("svc", "timonel-ingress", "{.status.loadBalancer.ingress[*].ip}", ip => ip.Length > 0, ns: "kube-system");
        var ports = await GetAsync("svc", "timonel-ingress", "{.spec.type} {.spec.ports[*].name} {.spec.ports[*].port}", ns: "kube-system");
        var endpoints = await GetUntilAsync("endpointslice", "timonel-ingress", "{.endpoints[*].addresses[*]} {.ports[*].port}", value => value.Length > 0, ns: "kube-system");
        (await Kubectl.RunAsync("apply", "-f", Examples.File("09-ingress.yaml"))).EnsureSuccess();
        var shown = await GetUntilAsync("ingress", "hello-app", "{.status.loadBalancer.ingress[*].ip}", ip => ip.Length > 0);

        Assert.Equal("192.0.2.20", address);
        Assert.Equal($"LoadBalancer http https {server.IngressHttpPort} {server.IngressHttpsPort}", ports);
        Assert.Equal($"{Timonel.Agent.Kubelet.Node.MachineInfoReader.PrimaryAddress()} {server.IngressHttpPort} {server.IngressHttpsPort}", endpoints);
        Assert.Equal("192.0.2.20", shown);
    }

    [SkippableFact]
    public async Task IngressControllersService_FollowsTheServersPortsAcrossARestart()
    {
        SkipUnlessRunnable();
        int firstPort;
        await using (var server = ServerProcess.Start(_dataDir))
        {
            Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
            firstPort = server.IngressHttpPort;
            await GetUntilAsync("svc", "timonel-ingress", "{.spec.ports[0].port}", port => port == firstPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ns: "kube-system");
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // Each start listens on other free ports: the Service and its endpoints move with them.
        await using var restarted = ServerProcess.Start(_dataDir);
        Assert.True(await restarted.WaitReadyAsync(_startTimeout), "the server did not become ready again:\n" + restarted.Output);
        var expected = $"{restarted.IngressHttpPort} {restarted.IngressHttpsPort}";

        Assert.NotEqual(firstPort, restarted.IngressHttpPort);
        Assert.Equal(expected, await GetUntilAsync("svc", "timonel-ingress", "{.spec.ports[*].port}", ports => ports == expected, ns: "kube-system"));
        Assert.Equal(expected, await GetUntilAsync("endpointslice", "timonel-ingress", "{.ports[*].port}", ports => ports == expected, ns: "kube-system"));
    }

    [SkippableFact]
    public async Task IngressControllersService_RemovedWhenTheControllerIsDisabled()
    {
        SkipUnlessRunnable();
        await using (var server = ServerProcess.Start(_dataDir))
        {
            Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
            await GetUntilAsync("svc", "timonel-ingress", "{.metadata.name}", name => name.Length > 0, ns: "kube-system");
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        // Left behind without endpoints, it would make the nodes refuse 80/443, where the user's own controller listens.
        await using var restarted = ServerProcess.Start(_dataDir, "--disable", "ingress");
        Assert.True(await restarted.WaitReadyAsync(_startTimeout), "the server did not become ready again:\n" + restarted.Output);
        var left = await EventuallyAsync(async () => (await Kubectl.RunAsync("get", "svc", "timonel-ingress", "-n", "kube-system")).ExitCode != 0, _settleTimeout);

        Assert.True(left, "kube-system/timonel-ingress is still there");
    }

    [SkippableFact]
    public async Task LoadBalancerClassOfAnotherImplementationOrDisabledController_IsLeftPending()
    {
        SkipUnlessRunnable();
        await using var server = ServerProcess.Start(_dataDir, "--lb-address-pool", "192.0.2.10/32", "--disable", "servicelb");
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        await CreateServiceAsync("web");
        // The node controller still runs; give the (absent) service controller the time it would take.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal("", await GetAsync("svc", "web", "{.metadata.finalizers}"));
        Assert.Equal("", await GetAsync("svc", "web", "{.status.loadBalancer.ingress}"));
    }

    [SkippableFact]
    public async Task MalformedAddressPool_ExitsOneSayingTheExpectedForm()
    {
        SkipUnlessRunnable();
        await using var server = ServerProcess.Start(_dataDir, "--lb-address-pool", "192.0.2.10-192.0.2.1");

        Assert.Equal(1, await server.WaitForExitAsync(_startTimeout));
        Assert.Contains("invalid --lb-address-pool \"192.0.2.10-192.0.2.1\": expected an IPv4 CIDR", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static void SkipUnlessRunnable()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(!Kubectl.IsInstalled, Kubectl.SkipReason);
    }

    private async Task CreateServiceAsync(string name)
    {
        var manifest = $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {{name}}
            spec:
              type: LoadBalancer
              selector:
                app: {{name}}
              ports:
              - port: 80
            """;
        // The server's default namespace and service account may still be in the making just after ready.
        await EventuallyAsync(async () => (await Kubectl.RunWithInputAsync(manifest, "apply", "-f", "-")).ExitCode == 0, _settleTimeout);
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(250);
        }

        return true;
    }

    private Task<string> IngressAsync(string service, Func<string, bool> until) =>
        GetUntilAsync("svc", service, "{.status.loadBalancer.ingress[*].ip}", until);

    private async Task<string> GetAsync(string kind, string name, string jsonPath, string ns = "default") =>
        (await Kubectl.RunAsync("get", kind, name, "-n", ns, "-o", "jsonpath=" + jsonPath)).EnsureSuccess().Stdout.Trim();

    private async Task<string> GetUntilAsync(string kind, string? name, string jsonPath, Func<string, bool> until, string ns = "default")
    {
        var value = "";
        var done = await EventuallyAsync(
            async () =>
            {
                var result = await Kubectl.RunAsync([.. new[] { "get", kind, "-n", ns }, .. name is null ? [] : new[] { name }, "-o", "jsonpath=" + jsonPath]);
                value = result.ExitCode == 0 ? result.Stdout.Trim() : "";
                return result.ExitCode == 0 && until(value);
            },
            _settleTimeout);
        Assert.True(done, $"{kind} {name} {jsonPath} is still \"{value}\"");
        return value;
    }

    private async Task<List<string>> ReasonsAsync(string service, Func<List<string>, bool> until)
    {
        List<string> reasons = [];
        await EventuallyAsync(
            async () =>
            {
                var result = await Kubectl.RunAsync("get", "events", "--field-selector", $"involvedObject.kind=Service,involvedObject.name={service}", "--sort-by=.metadata.creationTimestamp", "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}");
                reasons = [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                return until(reasons);
            },
            _settleTimeout);
        return reasons;
    }
}
