using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// <c>timonel server --simulated-nodes 2</c> (nodes sim-0 and sim-1) and, as a separate process that a test may kill,
/// <c>timonel agent --simulated 2</c> joined to it (nodes agent-0 and agent-1), shared by one test class.
/// </summary>
public sealed class NodeFailureFixture : IAsyncLifetime
{
    public static readonly string[] ServerNodes = ["sim-0", "sim-1"];
    public static readonly string[] AgentNodes = ["agent-0", "agent-1"];
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-nodefail-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly StringBuilder _agentOutput = new();
    private ServerProcess? _server;
    private Process? _agent;

    public string? SkipReason { get; private set; }

    public Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    /// <summary>Everything the agent printed so far, for failure messages.</summary>
    public string AgentOutput
    {
        get
        {
            lock (_agentOutput)
            {
                return _agentOutput.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        SkipReason = ServerProcess.RepoRoot is null ? "the repository's ./timonel launcher is not above the test binaries"
            : !Kubectl.IsInstalled ? Kubectl.SkipReason
            : null;
        if (SkipReason is not null)
        {
            return;
        }

        _server = ServerProcess.Start(_dataDir, "--simulated-nodes", ServerNodes.Length.ToString(CultureInfo.InvariantCulture));
        if (!await _server.WaitReadyAsync(_startTimeout))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }

        _agent = StartAgent(_server.Url);
        foreach (var node in ServerNodes.Concat(AgentNodes))
        {
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "node/" + node, "--for=create")).EnsureSuccess();
            (await SimulatedClusterFixture.WaitAsync(Kubectl, "node/" + node, "--for=condition=Ready")).EnsureSuccess();
        }
    }

    /// <summary>kill -9 of the agent: its nodes stop renewing their Leases and posting status, as a dead machine's would.</summary>
    public async Task KillAgentAsync()
    {
        var agent = _agent ?? throw new InvalidOperationException(SkipReason);
        agent.Kill();
        await agent.WaitForExitAsync();
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            if (!_agent.HasExited)
            {
                _agent.Kill();
                await _agent.WaitForExitAsync();
            }

            _agent.Dispose();
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

    // Through the repo-root launcher, which execs the binary: the process killed is the agent itself. Its nodes take
    // another pod range than the server's own simulated nodes.
    private Process StartAgent(Uri server)
    {
        var start = new ProcessStartInfo(Path.Combine(ServerProcess.RepoRoot!, "timonel"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ServerProcess.RepoRoot!,
        };
        foreach (var arg in new[]
        {
            "agent", "--server", server.ToString(), "--token-file", Path.Combine(_dataDir, "token"), "--simulated", AgentNodes.Length.ToString(CultureInfo.InvariantCulture),
            "--node-name-prefix", "agent-", "--cluster-cidr", "10.52.0.0/16",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
