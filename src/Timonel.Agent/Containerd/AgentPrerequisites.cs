namespace Timonel.Agent.Containerd;

/// <summary>
/// What a node agent running its own containerd needs from the machine, checked before anything starts so a
/// missing piece is one clear message (naming the Debian packages) rather than a sandbox failing later: root,
/// containerd with its ctr client, runc, the CNI plugins the node's network uses, and iptables for their NAT rules.
/// </summary>
public sealed class AgentPrerequisites
{
    public static readonly IReadOnlyList<string> CniPlugins = ["bridge", "host-local", "portmap", "loopback"];

    private static readonly (string Program, string Package)[] _programs =
    [
        ("containerd", "containerd"),
        ("ctr", "containerd"),
        ("runc", "runc"),
        ("iptables", "iptables"),
    ];

    private AgentPrerequisites(IReadOnlyList<string> problems, IReadOnlyList<string> packages)
    {
        Problems = problems;
        Packages = packages;
    }

    /// <summary>What is missing, one line each; empty when the agent can run.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The Debian packages that provide what is missing.</summary>
    public IReadOnlyList<string> Packages { get; }

    public bool Satisfied => Problems.Count == 0;

    /// <summary>The whole answer for a log or the terminal, or null when nothing is missing.</summary>
    public string? Message => Satisfied
        ? null
        : "the node agent cannot run containers: " + string.Join("; ", Problems)
            + (Packages.Count > 0 ? $". Install them with: apt-get install {string.Join(' ', Packages)}" : "");

    /// <summary>Checks this machine.</summary>
    public static AgentPrerequisites Check() =>
        // sbin is searched too: runc and iptables live there and a non-root PATH often lacks it.
        Check(Environment.IsPrivilegedProcess, (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/local/sbin:/usr/sbin:/sbin", HostFacts.CniPluginDirs);

    /// <param name="isRoot">Whether the agent runs as root (it mounts, creates network namespaces and runs containerd).</param>
    /// <param name="searchPath">The directories to look for programs in, PATH-style.</param>
    /// <param name="cniPluginDirs">Where the CNI plugins may be installed.</param>
    public static AgentPrerequisites Check(bool isRoot, string searchPath, IReadOnlyList<string> cniPluginDirs)
    {
        var problems = new List<string>();
        var packages = new List<string>();
        if (!isRoot)
        {
            problems.Add("it must run as root");
        }

        var dirs = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        foreach (var (program, package) in _programs)
        {
            if (!dirs.Any(dir => File.Exists(Path.Combine(dir, program))))
            {
                problems.Add($"{program} is not installed");
                packages.Add(package);
            }
        }

        var pluginsDir = cniPluginDirs.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "bridge")));
        var missingPlugins = CniPlugins.Where(plugin => pluginsDir is null || !File.Exists(Path.Combine(pluginsDir, plugin))).ToList();
        if (missingPlugins.Count > 0)
        {
            problems.Add($"the CNI plugins {string.Join(", ", missingPlugins)} are not in {string.Join(" or ", cniPluginDirs)}");
            packages.Add("containernetworking-plugins");
        }

        return new AgentPrerequisites(problems, packages.Distinct().ToList());
    }
}
