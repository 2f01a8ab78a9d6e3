using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// A control plane without a node (<c>timonel server --disable-agent</c>) and this machine joined to it as a real
/// node by a separate <c>timonel agent --server URL --token T</c> process with a bootstrap token from
/// <c>timonel token create</c>, as a second machine joins: the agent gets its client and its kubelet serving
/// certificates through CSRs, runs its own containerd, and imports the offline test images.
/// </summary>
public sealed class JoinedNodeFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-joined-" + Guid.NewGuid().ToString("N")[..8]);
    private ServerProcess? _server;
    private TimonelProcess? _agent;
    private TestImageRegistry? _registry;
    private NodeMachineLock? _machine;

    public string? SkipReason { get; } = ServerProcess.RepoRoot is null ? "the repository's ./timonel launcher is not above the test binaries" : RealNodePrerequisites.SkipReason;

    public Kubectl Kubectl => new(Path.Combine(ServerDataDir, "kubeconfig.yaml"));

    /// <summary>The joined node's name, as the agent registered it (the host name by default).</summary>
    public string NodeName { get; private set; } = "";

    /// <summary>What the server and the agent printed, for failure messages.</summary>
    public string Output => $"server:\n{_server?.Output}\nagent:\n{_agent?.Output}";

    private string ServerDataDir => Path.Combine(_dataDir, "server");

    /// <summary>The agent's --data-dir: its state lands in DATA/agent, its test images in DATA/agent/images.</summary>
    private string AgentDataDir => Path.Combine(_dataDir, "node");

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _machine = await NodeMachineLock.AcquireAsync(TimeSpan.FromMinutes(30));
        // A test host killed mid-run left its pods' network namespaces holding addresses this run's pods will get.
        Timonel.Agent.Teardown.NodeTeardown.DeleteEmptyPodNetworks();
        _registry = await TestImageRegistry.StartAsync(_dataDir, Path.Combine(AgentDataDir, "agent", "images"));
        _server = ServerProcess.Start(ServerDataDir);
        if (!await _server.WaitReadyAsync(TimeSpan.FromSeconds(120)))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }

        var (exit, token) = await TimonelProcess.RunAsync("token", "create", "--data-dir", ServerDataDir, "--description", "joined node test");
        if (exit != 0)
        {
            throw new InvalidOperationException("timonel token create failed: " + token);
        }

        _agent = TimonelProcess.Start("agent", "--server", _server.Url.ToString(), "--token", token.Trim(), "--data-dir", AgentDataDir, "--private-registry", _registry.RegistriesFile);
        // The agent asks for its client certificate, starts containerd and imports the images before it registers.
        for (var deadline = DateTime.UtcNow.AddSeconds(180); NodeName.Length == 0; await Task.Delay(500))
        {
            if (DateTime.UtcNow > deadline || _agent.HasExited)
            {
                throw new InvalidOperationException("the agent registered no node:\n" + Output);
            }

            NodeName = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).Stdout.Trim();
        }

        var ready = await Kubectl.RunAsync("wait", "node", NodeName, "--for=condition=Ready", "--timeout=120s");
        if (ready.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {NodeName} did not become Ready: {ready}\n{Output}");
        }
    }

    /// <summary>The node's CertificateSigningRequests as kubectl gets them.</summary>
    public async Task<JsonArray> CsrsAsync() =>
        JsonNode.Parse((await Kubectl.RunAsync("get", "csr", "-o", "json")).EnsureSuccess().Stdout)!["items"]!.AsArray();

    /// <summary>A namespace of the test's own.</summary>
    public Task<string> CreateNamespaceAsync() => TestNamespaces.CreateAsync(Kubectl, "joined-");

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            // SIGTERM: the agent stops the pods it runs and its containerd.
            try
            {
                await _agent.TerminateAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
            }

            await _agent.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_machine is not null)
        {
            await RealNodeCleanup.AfterAgentAsync(_dataDir, _registry);
        }

        _machine?.Dispose();
    }
}
