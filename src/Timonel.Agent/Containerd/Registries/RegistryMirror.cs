namespace Timonel.Agent.Containerd.Registries;

/// <summary>A registries.yaml mirror: the endpoints that serve a registry host's images, in the order tried.</summary>
public sealed class RegistryMirror
{
    public List<string> Endpoint { get; set; } = [];

    /// <summary>
    /// Repository rewrites (regular expression → replacement with $1-style groups), applied to pulls from the endpoints;
    /// containerd 1.6's hosts.toml cannot express them, so <see cref="RepositoryRewrite"/> applies them before the pull.
    /// </summary>
    public Dictionary<string, string> Rewrite { get; set; } = [];

    public IEnumerable<Uri> EndpointUris => (Endpoint ?? []).Select(RegistryEndpoint.TryParse).OfType<Uri>();
}
