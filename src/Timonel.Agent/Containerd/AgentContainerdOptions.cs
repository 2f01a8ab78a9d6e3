using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Containerd;

/// <summary>How the agent gets its container runtime: its own containerd (the default) or an existing one.</summary>
public sealed record AgentContainerdOptions
{
    /// <summary>DATA/agent.</summary>
    public required string AgentDir { get; init; }

    /// <summary>Socket and state of the agent's own containerd.</summary>
    public string RunDir { get; init; } = ContainerdPaths.DefaultRunDir;

    /// <summary>--container-runtime-endpoint: use this CRI runtime instead of starting containerd.</summary>
    public string? RuntimeEndpoint { get; init; }

    /// <summary>--pause-image.</summary>
    public string SandboxImage { get; init; } = ContainerdSettings.DefaultSandboxImage;

    /// <summary>--private-registry: K3s' registries.yaml.</summary>
    public string PrivateRegistry { get; init; } = RegistriesFile.DefaultPath;

    public string ContainerdBinary { get; init; } = ContainerdProcess.DefaultBinary;

    /// <summary>The conf_dir a runtime given by --container-runtime-endpoint reads (containerd's default).</summary>
    public string ExternalCniConfDir { get; init; } = "/etc/cni/net.d";
}
