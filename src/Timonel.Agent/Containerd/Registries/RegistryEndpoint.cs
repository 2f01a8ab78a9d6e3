namespace Timonel.Agent.Containerd.Registries;

/// <summary>A mirror endpoint of registries.yaml as a URL; without a scheme it is https, as K3s reads it.</summary>
public static class RegistryEndpoint
{
    public static Uri? TryParse(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 ? uri : null;
    }

    /// <summary>host or host:port, as registries.yaml configs and containerd's certs.d name a registry.</summary>
    public static string HostOf(Uri endpoint) => endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";

    /// <summary>The URL as containerd's hosts.toml wants it: scheme, host and any path, no trailing slash.</summary>
    public static string ForHostsToml(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
}
