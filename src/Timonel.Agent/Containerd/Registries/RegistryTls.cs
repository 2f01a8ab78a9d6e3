namespace Timonel.Agent.Containerd.Registries;

/// <summary>How to reach a registry over TLS: its CA, a client certificate, or no verification.</summary>
public sealed class RegistryTls
{
    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    public bool InsecureSkipVerify { get; set; }
}
