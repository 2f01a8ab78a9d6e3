using System.Text;

namespace Timonel.Agent.Containerd;

/// <summary>
/// The agent's containerd config.toml (version 2, containerd 1.6): its own root, state and socket so it never
/// meets a system containerd; the CRI plugin with the sandbox image, CNI dirs, registry hosts dir, runc through
/// the cgroupfs driver (no systemd here), and the unprivileged ports and ICMP K3s enables so pods can bind
/// ports under 1024 and ping without capabilities.
/// </summary>
public static class ContainerdConfig
{
    public static string Render(ContainerdPaths paths, ContainerdSettings settings)
    {
        const string cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        var toml = new StringBuilder();
        toml.Append("# Written by the Timonel agent at every start; edits are lost.\n");
        toml.Append("version = 2\n");
        toml.Append($"root = {Toml.String(paths.RootDir)}\n");
        toml.Append($"state = {Toml.String(paths.StateDir)}\n\n");
        toml.Append("[grpc]\n");
        toml.Append($"  address = {Toml.String(paths.Socket)}\n\n");
        toml.Append($"[{cri}]\n");
        toml.Append($"  sandbox_image = {Toml.String(settings.SandboxImage)}\n");
        toml.Append($"  restrict_oom_score_adj = {Toml.Bool(settings.RestrictOomScoreAdj)}\n");
        toml.Append("  enable_unprivileged_ports = true\n");
        toml.Append("  enable_unprivileged_icmp = true\n");
        toml.Append("  enable_selinux = false\n");
        // Exec, attach and port-forward URLs point here; only the agent (on this machine) connects to them.
        toml.Append("  stream_server_address = \"127.0.0.1\"\n");
        toml.Append("  stream_server_port = \"0\"\n\n");
        toml.Append($"[{cri}.containerd]\n");
        toml.Append($"  snapshotter = {Toml.String(settings.Snapshotter)}\n");
        toml.Append("  default_runtime_name = \"runc\"\n\n");
        toml.Append($"[{cri}.containerd.runtimes.runc]\n");
        toml.Append("  runtime_type = \"io.containerd.runc.v2\"\n\n");
        toml.Append($"[{cri}.containerd.runtimes.runc.options]\n");
        toml.Append("  SystemdCgroup = false\n\n");
        toml.Append($"[{cri}.cni]\n");
        toml.Append($"  bin_dir = {Toml.String(settings.CniBinDir)}\n");
        toml.Append($"  conf_dir = {Toml.String(paths.CniConfDir)}\n\n");
        toml.Append($"[{cri}.registry]\n");
        toml.Append($"  config_path = {Toml.String(paths.CertsDir)}\n");
        return toml.ToString();
    }

    /// <summary>Writes config.toml and creates the directories it names.</summary>
    public static void Write(ContainerdPaths paths, ContainerdSettings settings)
    {
        foreach (var dir in new[] { Path.GetDirectoryName(paths.ConfigFile)!, paths.CertsDir, paths.CniConfDir, paths.RootDir, paths.RunDir })
        {
            Directory.CreateDirectory(dir);
        }

        AtomicFile.Write(paths.ConfigFile, Render(paths, settings));
    }
}
