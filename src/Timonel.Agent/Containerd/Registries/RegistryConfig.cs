namespace Timonel.Agent.Containerd.Registries;

/// <summary>A registries.yaml config for one registry host: its credentials and TLS settings.</summary>
public sealed class RegistryConfig
{
    public RegistryAuth? Auth { get; set; }

    public RegistryTls? Tls { get; set; }
}
