using Timonel.Agent.Teardown;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// <c>timonel killall</c> on a machine where a server with its node agent was killed with pods running: what the agent
/// leaves on purpose (containers outlive it) goes, and a running timonel is not touched.
/// </summary>
public sealed class KillallTests : IDisposable
{
    private const string RunDir = "/run/timonel";
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-killall-" + Guid.NewGuid().ToString("N")[..8]);

    [SkippableFact]
    public async Task AfterTheServerIsKilled_StopsItsContainersMountsAndPodNetworking()
    {
        Skip.If(RealNodePrerequisites.SkipReason is not null, RealNodePrerequisites.SkipReason);
        using var machine = await NodeMachineLock.AcquireAsync(TimeSpan.FromMinutes(30));
        NodeTeardown.DeleteEmptyPodNetworks();
        var registry = await TestImageRegistry.StartAsync(_dataDir, Path.Combine(_dataDir, "agent", "images"));
        var server = ServerProcess.StartWithAgent(_dataDir, "--private-registry", registry.RegistriesFile);
        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));
        try
        {
            Assert.True(await server.WaitReadyAsync(TimeSpan.FromSeconds(120)), server.Output);
            await WaitForANodeAsync(kubectl);
            (await kubectl.RunAsync("wait", "node", "--all", "--for=condition=Ready", "--timeout=120s")).EnsureSuccess();
            (await kubectl.RunAsync("run", "sleeper", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600")).EnsureSuccess();
            (await kubectl.RunAsync("wait", "pod/sleeper", "--for=condition=Ready", "--timeout=60s")).EnsureSuccess();
            var whileRunning = await TimonelProcess.RunAsync("killall", "--data-dir", _dataDir);

            await server.KillAsync();
            var shimsLeft = Shims();
            var killall = await TimonelProcess.RunAsync("killall", "--data-dir", _dataDir);

            Assert.Equal(1, whileRunning.Exit);
            Assert.Contains("timonel is running", whileRunning.Output, StringComparison.Ordinal);
            Assert.NotEmpty(shimsLeft);
            Assert.Equal(0, killall.Exit);
            Assert.Contains($"killed {shimsLeft.Count} container shims", killall.Output, StringComparison.Ordinal);
            Assert.Empty(Shims());
            Assert.Contains("deleted bridge cni0", killall.Output, StringComparison.Ordinal);
            Assert.False(Directory.Exists("/sys/class/net/cni0"));
            Assert.False(Directory.Exists(RunDir));
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Split(' ')[4].StartsWith(_dataDir, StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
            await RealNodeCleanup.AfterAgentAsync(_dataDir, registry);
        }
    }

    private static List<int> Shims() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCommandLine(pid) is { } line && line.Contains("containerd-shim", StringComparison.Ordinal) && line.Contains(RunDir, StringComparison.Ordinal))
            .ToList();

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task WaitForANodeAsync(Kubectl kubectl)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            if ((await kubectl.RunAsync("get", "nodes", "-o", "name")).Stdout.Length > 0)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A mount the runtime still held.
        }
    }
}
