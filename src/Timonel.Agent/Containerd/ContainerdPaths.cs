using System.Text;

namespace Timonel.Agent.Containerd;

/// <summary>
/// Where the agent's own containerd keeps things (K3s' layout): config, registry hosts and CNI config under
/// DATA/agent/etc, images and snapshots under DATA/agent/containerd, and the socket and state under a short run
/// directory, because a unix socket path holds at most 107 bytes.
/// </summary>
public sealed record ContainerdPaths
{
    /// <summary>The default run directory: its socket path is far under the unix socket limit.</summary>
    public const string DefaultRunDir = "/run/timonel/containerd";

    // sockaddr_un.sun_path is 108 bytes with the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    /// <param name="agentDir">DATA/agent.</param>
    /// <param name="runDir">Socket and state (tmpfs on a normal host, so state goes away with a reboot as containerd expects).</param>
    /// <exception cref="ArgumentException">The socket path would be too long for a unix socket.</exception>
    public ContainerdPaths(string agentDir, string runDir = DefaultRunDir)
    {
        AgentDir = Path.GetFullPath(agentDir);
        RunDir = Path.GetFullPath(runDir);
        var socketBytes = Encoding.UTF8.GetByteCount(Socket);
        if (socketBytes > MaxSocketPathBytes)
        {
            throw new ArgumentException($"containerd socket path {Socket} is {socketBytes} bytes, over the {MaxSocketPathBytes}-byte limit of a unix socket: choose a shorter run directory");
        }
    }

    public string AgentDir { get; }

    public string RunDir { get; }

    public string Socket => Path.Combine(RunDir, "containerd.sock");

    /// <summary>The pid of the containerd the agent started, so a later agent (or <c>timonel killall</c>) finds one left running.</summary>
    public string PidFile => Path.Combine(RunDir, "containerd.pid");

    /// <summary>containerd's state dir (sandboxes' resolv.conf, shim bundles); lost on reboot.</summary>
    public string StateDir => Path.Combine(RunDir, "state");

    /// <summary>containerd's root dir: content store, snapshots, metadata.</summary>
    public string RootDir => Path.Combine(AgentDir, "containerd");

    public string ConfigFile => Path.Combine(AgentDir, "etc", "containerd", "config.toml");

    /// <summary>The registry hosts directory (containerd's config_path): one certs.d/HOST/hosts.toml per registry.</summary>
    public string CertsDir => Path.Combine(AgentDir, "etc", "containerd", "certs.d");

    public string CniConfDir => Path.Combine(AgentDir, "etc", "cni", "net.d");

    public string LogFile => Path.Combine(AgentDir, "containerd", "containerd.log");

    /// <summary>K3s' air-gap folder: tarballs here are imported at start.</summary>
    public string ImagesDir => Path.Combine(AgentDir, "images");

    /// <summary>Which air-gap tarballs are already imported (name, size, mtime).</summary>
    public string ImportRecordFile => Path.Combine(AgentDir, "containerd", "imported-images.json");
}
