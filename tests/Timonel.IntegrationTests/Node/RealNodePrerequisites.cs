namespace Timonel.IntegrationTests.Node;

/// <summary>What a machine needs to run a real node agent in a test, and why a test is skipped when it lacks it.</summary>
public static class RealNodePrerequisites
{
    private static readonly string[] _tools = ["containerd", "runc", "ctr"];
    private static readonly string[] _cniPlugins = ["bridge", "host-local", "portmap", "loopback"];

    /// <summary>The agent's containerd socket and state (its default run directory), cleaned up after a test's agent.</summary>
    public const string RunDir = "/run/timonel/containerd";

    /// <summary>Why this machine cannot run a node agent in a test, or null when it can.</summary>
    public static string? SkipReason { get; } = FindSkipReason();

    private static string? FindSkipReason()
    {
        if (!Kubectl.IsInstalled)
        {
            return Kubectl.SkipReason;
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "the node agent runs containers: these tests need root on Linux";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (var tool in _tools)
        {
            if (!path.Any(dir => File.Exists(Path.Combine(dir, tool))))
            {
                return $"{tool} is not installed (apt-get install containerd runc)";
            }
        }

        var cni = new[] { "/usr/lib/cni", "/opt/cni/bin" }.FirstOrDefault(dir => _cniPlugins.All(p => File.Exists(Path.Combine(dir, p))));
        return cni is null ? "the CNI plugins are not installed (apt-get install containernetworking-plugins)" : null;
    }
}
