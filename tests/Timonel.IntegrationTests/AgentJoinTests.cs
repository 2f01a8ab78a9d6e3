using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// Joining with a bootstrap token, kubeadm/K3s style, with the real binary: <c>timonel token create</c> prints a join
/// token; <c>timonel agent --token</c> with it asks for its node certificate through a CSR the csrapproving controller
/// approves (the bootstrappers may create nodeclient CSRs), and its node registers and turns Ready as
/// system:node:NAME under the Node authorizer and NodeRestriction.
/// </summary>
public sealed class AgentJoinTests : IAsyncLifetime
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-join-" + Guid.NewGuid().ToString("N")[..10]);
    private ServerProcess? _server;
    private TimonelProcess? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Agent_BootstrapTokenFromTokenCreate_GetsItsCertificateAndItsNodeBecomesReady()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(!Kubectl.IsInstalled, Kubectl.SkipReason);
        _server = ServerProcess.Start(_dataDir);
        Assert.True(await _server.WaitReadyAsync(_startTimeout), _server.Output);
        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));

        var (exit, token) = await TimonelProcess.RunAsync("token", "create", "--data-dir", _dataDir, "--description", "join test");
        Assert.True(exit == 0, token);
        token = token.Trim();
        _agent = TimonelProcess.Start("agent", "--server", _server.Url.ToString(), "--token", token, "--simulated", "1", "--node-name-prefix", "joined-",
            "--cluster-cidr", "10.62.0.0/16", "--data-dir", Path.Combine(_dataDir, "agent-node"));
        var created = await kubectl.RunAsync("wait", "node/joined-0", "--for=create", "--timeout=120s");
        var ready = await kubectl.RunAsync("wait", "node/joined-0", "--for=condition=Ready", "--timeout=60s");
        var csrs = JsonNode.Parse((await kubectl.RunAsync("get", "csr", "-o", "json")).EnsureSuccess().Stdout)!["items"]!.AsArray();

        Assert.Matches(@"^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$", token);
        Assert.True(created.ExitCode == 0 && ready.ExitCode == 0, $"{created}\n{ready}\nagent:\n{_agent.Output}");
        var csr = Assert.Single(csrs)!;
        var id = token[(token.IndexOf("::", StringComparison.Ordinal) + 2)..][..6];
        Assert.Equal("system:bootstrap:" + id, csr["spec"]!["username"]!.GetValue<string>());
        Assert.Equal("kubernetes.io/kube-apiserver-client-kubelet", csr["spec"]!["signerName"]!.GetValue<string>());
        Assert.Equal("AutoApproved", csr["status"]!["conditions"]![0]!["reason"]!.GetValue<string>());
        Assert.NotNull(csr["status"]!["certificate"]);
        Assert.True(File.Exists(Path.Combine(_dataDir, "agent-node", "agent", "client-kubelet.crt")));
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
