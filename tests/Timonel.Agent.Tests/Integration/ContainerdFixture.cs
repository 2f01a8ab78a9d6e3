using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Containerd;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Integration;

/// <summary>
/// The agent's own containerd started through <see cref="AgentContainerd"/> in a temporary data dir, with the test
/// images in its air-gap folder. Its bridge, pod range and host-local store are the fixture's own, so it meets no
/// other containerd or CNI network on the machine; disposing removes every sandbox, process, mount and link it made.
/// </summary>
public class ContainerdFixture : IAsyncLifetime
{
    private readonly string _suffix = RandomNumberGenerator.GetHexString(6, lowercase: true);
    private string? _root;

    /// <summary>Why the tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; }

    public AgentContainerd Containerd { get; private set; } = null!;

    public ContainerdPaths Paths { get; private set; } = null!;

    public string Root => _root!;

    /// <summary>NetworkReady as containerd answered it before any CNI network list existed.</summary>
    public RuntimeCondition? NetworkBeforeCniConfig { get; private set; }

    /// <summary>A bridge name of the fixture's own (at most 15 characters, the kernel's limit).</summary>
    public string Bridge => "tmn" + _suffix;

    /// <summary>A /24 unlikely to meet the machine's networks.</summary>
    public string PodCidr { get; } = $"10.{RandomNumberGenerator.GetInt32(200, 250)}.{RandomNumberGenerator.GetInt32(0, 255)}.0/24";

    public async Task InitializeAsync()
    {
        SkipReason = !Environment.IsPrivilegedProcess
            ? "runs containers: needs root"
            : AgentPrerequisites.Check().Message ?? TestImageTarballs.UnavailableReason ?? ExtraSkipReason;
        if (SkipReason is not null)
        {
            Console.WriteLine($"skipping containerd runtime tests: {SkipReason}");
            return;
        }

        _root = Directory.CreateTempSubdirectory("timonel-cri-").FullName;
        var agentDir = Path.Combine(_root, "agent");
        // A short run dir: the socket path must stay under the unix limit whatever TMPDIR is.
        Paths = new ContainerdPaths(agentDir, "/run/tmn-" + _suffix);
        await TestImageTarballs.BuildAsync(Paths.ImagesDir, Path.Combine(_root, "build"));
        await File.WriteAllTextAsync(Path.Combine(_root, "registries.yaml"), await RegistriesYamlAsync());
        Containerd = await AgentContainerd.StartAsync(
            new AgentContainerdOptions { AgentDir = agentDir, RunDir = Paths.RunDir, PrivateRegistry = Path.Combine(_root, "registries.yaml") },
            NullLogger.Instance,
            CancellationToken.None);
        NetworkBeforeCniConfig = (await Containerd.Runtime.StatusAsync(CancellationToken.None)).Conditions.FirstOrDefault(c => c.Type == "NetworkReady");
    }

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        try
        {
            await RemoveEverySandboxAsync();
            await Containerd.DisposeAsync();
        }
        finally
        {
            await CleanUpAsync();
            Run("ip", "link", "delete", Bridge);
            UnmountUnder(_root);
            UnmountUnder(Paths.RunDir);
            Directory.Delete(_root, recursive: true);
            if (Directory.Exists(Paths.RunDir))
            {
                Directory.Delete(Paths.RunDir, recursive: true);
            }
        }
    }

    /// <summary>Why a derived fixture cannot run here, or null.</summary>
    protected virtual string? ExtraSkipReason => null;

    /// <summary>The registries.yaml the agent starts with (none by default); the test images exist by now.</summary>
    protected virtual Task<string> RegistriesYamlAsync() => Task.FromResult("");

    /// <summary>Stops what a derived fixture started, before the data dir goes.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    private async Task RemoveEverySandboxAsync()
    {
        foreach (var sandbox in await Containerd.Runtime.ListPodSandboxAsync(null, CancellationToken.None))
        {
            await Containerd.Runtime.StopPodSandboxAsync(sandbox.Id, CancellationToken.None);
            await Containerd.Runtime.RemovePodSandboxAsync(sandbox.Id, CancellationToken.None);
        }
    }

    private static void UnmountUnder(string dir)
    {
        var mounts = File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(dir + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length);
        foreach (var point in mounts)
        {
            Run("umount", "-l", point);
        }
    }

    protected static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    /// <summary>Polls the runtime's status until the condition holds (bounded: containerd loads CNI config on a file watch).</summary>
    public async Task<RuntimeCondition?> WaitForConditionAsync(string type, bool status)
    {
        RuntimeCondition? condition = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            condition = (await Containerd.Runtime.StatusAsync(CancellationToken.None)).Conditions.FirstOrDefault(c => c.Type == type);
            if (condition?.Status == status)
            {
                return condition;
            }

            await Task.Delay(100);
        }

        return condition;
    }
}
