using System.Diagnostics;
using System.Text;
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
    private readonly StringBuilder _agentOutput = new();
    private ServerProcess? _server;
    private Process? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task Agent_BootstrapTokenFromTokenCreate_GetsItsCertificateAndItsNodeBecomesReady()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(!Kubectl.IsInstalled, Kubectl.SkipReason);
        _server = ServerProcess.Start(_dataDir);
        Assert.True(await _server.WaitReadyAsync(_startTimeout), _server.Output);
        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));

        var (exit, token) = await RunAsync("token", "create", "--data-dir", _dataDir, "--description", "join test");
        Assert.True(exit == 0, token);
        token = token.Trim();
        _agent = Start("agent", "--server", _server.Url.ToString(), "--token", token, "--simulated", "1", "--node-name-prefix", "joined-",
            "--cluster-cidr", "10.62.0.0/16", "--data-dir", Path.Combine(_dataDir, "agent-node"));
        var created = await kubectl.RunAsync("wait", "node/joined-0", "--for=create", "--timeout=120s");
        var ready = await kubectl.RunAsync("wait", "node/joined-0", "--for=condition=Ready", "--timeout=60s");
        var csrs = JsonNode.Parse((await kubectl.RunAsync("get", "csr", "-o", "json")).EnsureSuccess().Stdout)!["items"]!.AsArray();

        Assert.Matches(@"^K10[0-9a-f]{64}::[a-z0-9]{6}\.[a-z0-9]{16}$", token);
        Assert.True(created.ExitCode == 0 && ready.ExitCode == 0, $"{created}\n{ready}\nagent:\n{AgentOutput}");
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
        if (_agent is { HasExited: false })
        {
            _agent.Kill(entireProcessTree: true);
            await _agent.WaitForExitAsync();
        }

        _agent?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private string AgentOutput
    {
        get
        {
            lock (_agentOutput)
            {
                return _agentOutput.ToString();
            }
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, process.ExitCode == 0 ? output : output + error);
    }

    private Process Start(params string[] args)
    {
        var process = Process.Start(StartInfo(args))!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Through the repo-root launcher, which execs the binary.
    private static ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(ServerProcess.RepoRoot!, "timonel"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServerProcess.RepoRoot!,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_agentOutput)
            {
                _agentOutput.AppendLine(line);
            }
        }
    }
}
