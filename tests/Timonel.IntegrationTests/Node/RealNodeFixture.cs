using Timonel.Agent.Teardown;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// One all-in-one <c>timonel server</c> with its node agent on this machine's containerd, runc and CNI plugins, shared
/// by every end-to-end test (one machine has one 10250 port, one cni0 bridge). The test images are built offline by
/// tests/images/build.sh into the agent's air-gap folder, which the agent imports at start.
/// </summary>
public sealed class RealNodeFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private ServerProcess? _server;
    private TestImageRegistry? _registry;
    private string[] _serverArgs = [];
    private NodeMachineLock? _machine;

    public string? SkipReason { get; } = RealNodePrerequisites.SkipReason;

    public ServerProcess Server => _server ?? throw new InvalidOperationException(SkipReason ?? "server not started");

    public Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    /// <summary>The registries the node's registries.yaml names (mirror, rewrite, "*", authenticated).</summary>
    public TestImageRegistry Registry => _registry ?? throw new InvalidOperationException(SkipReason ?? "registry not started");

    public string DataDir => _dataDir;

    /// <summary>The node's name (the host name) and InternalIP, as the agent registered them.</summary>
    public string NodeName { get; private set; } = "";

    public string NodeIP { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _machine = await NodeMachineLock.AcquireAsync(TimeSpan.FromMinutes(30));
        // A test host killed mid-run left its pods' network namespaces holding addresses this run's pods will get.
        NodeTeardown.DeleteEmptyPodNetworks();

        _registry = await TestImageRegistry.StartAsync(_dataDir, Path.Combine(_dataDir, "agent", "images"));
        // Bound to every address, so the kubernetes Service lists the node's address and pods reach the API through it.
        _serverArgs = ["--private-registry", _registry.RegistriesFile, "--bind-address", "0.0.0.0"];
        _server = ServerProcess.StartWithAgent(_dataDir, _serverArgs);
        await WaitNodeReadyAsync();
        NodeName = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;
        NodeIP = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}")).EnsureSuccess().Stdout;
    }

    /// <summary>kill -9 of the server (and so of its agent), then a start on the same data dir and port.</summary>
    public async Task KillAndRestartAsync()
    {
        var port = Server.Url.Port;
        await Server.KillAsync();
        await Server.DisposeAsync();
        _server = ServerProcess.StartWithAgent(_dataDir, port, _serverArgs);
        await WaitNodeReadyAsync();
    }

    private async Task WaitNodeReadyAsync()
    {
        if (!await Server.WaitReadyAsync(TimeSpan.FromSeconds(120)))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + Server.Output);
        }

        // /readyz answers before the agent has registered its Node: wait for this process's kubelet to have started
        // (a restarted server's Node is there already), then for the Node to be Ready.
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            if (Server.Output.Contains("kubelet of node", StringComparison.Ordinal))
            {
                break;
            }
        }

        var ready = await Kubectl.RunAsync("wait", "node", "--all", "--for=condition=Ready", "--timeout=120s");
        if (ready.ExitCode != 0)
        {
            throw new InvalidOperationException($"no node became Ready: {ready}\n{Server.Output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            // SIGTERM: the server stops its agent, which stops the pods it runs and its containerd.
            try
            {
                await _server.TerminateAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
            }

            await _server.DisposeAsync();
        }

        await RealNodeCleanup.AfterAgentAsync(_dataDir, _registry);
        _machine?.Dispose();
    }

    /// <summary>A namespace of the test's own, deleted with the fixture's cluster.</summary>
    public Task<string> CreateNamespaceAsync() => TestNamespaces.CreateAsync(Kubectl, "e2e-");
}
