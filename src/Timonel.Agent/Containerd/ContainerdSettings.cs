namespace Timonel.Agent.Containerd;

/// <summary>The choices in the agent's containerd config that depend on the host or on flags.</summary>
public sealed record ContainerdSettings
{
    /// <summary>The pause image upstream's kubelet v1.32 defaults to.</summary>
    public const string DefaultSandboxImage = "registry.k8s.io/pause:3.10";

    public string SandboxImage { get; init; } = DefaultSandboxImage;

    public string CniBinDir { get; init; } = HostFacts.CniPluginDirs[0];

    /// <summary>overlayfs, or native where an overlay cannot be mounted under containerd's root.</summary>
    public string Snapshotter { get; init; } = "overlayfs";

    public bool RestrictOomScoreAdj { get; init; }

    /// <summary>The settings this host needs, probing overlay support under <see cref="ContainerdPaths.RootDir"/>.</summary>
    public static ContainerdSettings Detect(ContainerdPaths paths, string sandboxImage = DefaultSandboxImage)
    {
        Directory.CreateDirectory(paths.RootDir);
        return new ContainerdSettings
        {
            SandboxImage = sandboxImage,
            CniBinDir = HostFacts.FindCniPluginsDir() ?? HostFacts.CniPluginDirs[0],
            Snapshotter = HostFacts.OverlayMountWorks(paths.RootDir) ? "overlayfs" : "native",
            RestrictOomScoreAdj = HostFacts.NeedsRestrictedOomScoreAdj(),
        };
    }
}
