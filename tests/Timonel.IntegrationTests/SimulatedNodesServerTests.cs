namespace Timonel.IntegrationTests;

/// <summary><c>timonel server --simulated-nodes N</c>, the real binary.</summary>
public sealed class SimulatedNodesServerTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-sim-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task Server_SimulatedNodes3_KubectlListsThreeReadyNodes()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.IfNot(Kubectl.IsInstalled, Kubectl.SkipReason);
        await using var server = ServerProcess.Start(_dataDir, "--simulated-nodes", "3");
        Assert.True(await server.WaitReadyAsync(TimeSpan.FromMinutes(4)), "the server did not become ready:\n" + server.Output);

        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));

        // /readyz answers before the components have started; the nodes register right after.
        var nodes = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < 3; await Task.Delay(250))
        {
            nodes = (await kubectl.RunAsync("get", "nodes", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status")).EnsureSuccess().Stdout;
        }

        Assert.Equal("sim-0   True\nsim-1   True\nsim-2   True\n", nodes);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
