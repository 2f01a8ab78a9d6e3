namespace Timonel.Agent.Containerd.Registries;

/// <summary>A registries.yaml mirror: the endpoints that serve a registry host's images, in the order tried.</summary>
public sealed class RegistryMirror
{
    public List<string> Endpoint { get; set; } = [];

    /// <summary>Repository rewrites (regex → replacement); containerd 1.6's hosts.toml cannot express them.</summary>
    public Dictionary<string, string> Rewrite { get; set; } = [];
}
