using System.Diagnostics;
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
        var skip = RealNodeFixture.FindSkipReason();
        Skip.If(skip is not null, skip);
        using var machine = await NodeMachineLock.AcquireAsync(TimeSpan.FromMinutes(30));
        // Built once into the repo's artifacts (build.sh skips what is up to date), then copied to the air-gap folder.
        var built = Path.Combine(ServerProcess.RepoRoot!, "artifacts", "test-images");
        await RunAsync("bash", Path.Combine(ServerProcess.RepoRoot!, "tests", "images", "build.sh"), built);
        Directory.CreateDirectory(Path.Combine(_dataDir, "agent", "images"));
        foreach (var tarball in Directory.EnumerateFiles(built, "*.tar"))
        {
            File.Copy(tarball, Path.Combine(_dataDir, "agent", "images", Path.GetFileName(tarball)));
        }

        var server = ServerProcess.StartWithAgent(_dataDir);
        var kubectl = new Kubectl(Path.Combine(_dataDir, "kubeconfig.yaml"));
        try
        {
            Assert.True(await server.WaitReadyAsync(TimeSpan.FromSeconds(120)), server.Output);
            await WaitForANodeAsync(kubectl);
            (await kubectl.RunAsync("wait", "node", "--all", "--for=condition=Ready", "--timeout=120s")).EnsureSuccess();
            (await kubectl.RunAsync("run", "sleeper", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "3600")).EnsureSuccess();
            (await kubectl.RunAsync("wait", "pod/sleeper", "--for=condition=Ready", "--timeout=60s")).EnsureSuccess();
            var whileRunning = await RunAsync(Path.Combine(ServerProcess.RepoRoot!, "timonel"), "killall", "--data-dir", _dataDir);

            await server.KillAsync();
            var shimsLeft = Shims();
            var killall = await RunAsync(Path.Combine(ServerProcess.RepoRoot!, "timonel"), "killall", "--data-dir", _dataDir);

            Assert.Equal(1, whileRunning.ExitCode);
            Assert.Contains("timonel is running", whileRunning.Output, StringComparison.Ordinal);
            Assert.NotEmpty(shimsLeft);
            Assert.Equal(0, killall.ExitCode);
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
            NodeTeardown.KillContainers(RunDir);
            NodeTeardown.DeleteEmptyPodNetworks();
            NodeTeardown.Unmount(RunDir);
            NodeTeardown.Unmount(_dataDir);
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
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
