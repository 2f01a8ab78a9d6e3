using System.Text;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// registries.yaml as containerd 1.6 reads registries: one certs.d/HOST/hosts.toml per host. A mirrored host lists its
/// endpoints as [host."URL"] entries tried in order, and its <c>server</c> (the last resort) is the first endpoint
/// rather than the public registry, so a machine told to use a mirror never reaches out to the internet behind its
/// back. containerd 1.6 has no catch-all host ("_default" came in 1.7), so the "*" entries reach a host only once it
/// has its own file: those of the named hosts are written at start, others by <see cref="RegistryHostsDirectory"/>
/// before the first pull from them (containerd reads the directory again at every pull).
/// </summary>
public static class RegistryHosts
{
    public const string FileName = "hosts.toml";

    /// <summary>The upstream server containerd uses for docker.io images.</summary>
    private const string DockerHubServer = "https://registry-1.docker.io";

    /// <summary>Each host's hosts.toml content, by host: the hosts registries.yaml names and <paramref name="alsoFor"/>.</summary>
    public static IReadOnlyDictionary<string, string> Render(RegistriesFile registries, IEnumerable<string>? alsoFor = null)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in registries.NamedHosts.Concat(alsoFor ?? []))
        {
            if (!files.ContainsKey(host) && RenderFor(host, registries) is { } content)
            {
                files[host] = content;
            }
        }

        return files;
    }

    /// <summary>The hosts.toml of one registry host, or null when registries.yaml has nothing for it (nor a "*" entry).</summary>
    public static string? RenderFor(string host, RegistriesFile registries)
    {
        var endpoints = registries.MirrorFor(host)?.EndpointUris.ToList() ?? [];
        if (endpoints.Count > 0)
        {
            return RenderMirrored(endpoints, registries);
        }

        return registries.ConfigFor(host) is not null ? RenderDirect(host, registries) : null;
    }

    /// <summary>Replaces the certs.d directory's contents with one hosts.toml per host of <paramref name="registries"/> and <paramref name="alsoFor"/>.</summary>
    public static void Write(string certsDir, RegistriesFile registries, IEnumerable<string>? alsoFor = null)
    {
        var files = Render(registries, alsoFor);
        Directory.CreateDirectory(certsDir);
        foreach (var stale in Directory.GetDirectories(certsDir).Where(dir => !files.ContainsKey(Path.GetFileName(dir))))
        {
            Directory.Delete(stale, recursive: true);
        }

        foreach (var (host, content) in files)
        {
            AtomicFile.Write(Path.Combine(certsDir, host, FileName), content);
        }
    }

    private static string RenderMirrored(List<Uri> endpoints, RegistriesFile registries)
    {
        var toml = new StringBuilder();
        AppendServer(toml, endpoints[0], registries);
        foreach (var endpoint in endpoints)
        {
            toml.Append('\n').Append($"[host.{Toml.String(HostUrl(endpoint))}]\n");
            toml.Append("  capabilities = [\"pull\", \"resolve\"]\n");
            AppendEndpointSettings(toml, "  ", endpoint, registries);
        }

        return toml.ToString();
    }

    private static string RenderDirect(string host, RegistriesFile registries)
    {
        var server = host is "docker.io" ? new Uri(DockerHubServer) : new Uri("https://" + host);
        var toml = new StringBuilder();
        AppendServer(toml, server, registries, tlsHost: host);
        return toml.ToString();
    }

    private static void AppendServer(StringBuilder toml, Uri server, RegistriesFile registries, string? tlsHost = null)
    {
        toml.Append("# Written by the Timonel agent from registries.yaml at every start; edits are lost.\n");
        toml.Append($"server = {Toml.String(HostUrl(server))}\n");
        AppendEndpointSettings(toml, "", server, registries, tlsHost);
    }

    private static void AppendEndpointSettings(StringBuilder toml, string indent, Uri endpoint, RegistriesFile registries, string? tlsHost = null)
    {
        if (HasOwnPath(endpoint))
        {
            // The endpoint's path already leads to the registry API; containerd would otherwise append /v2.
            toml.Append(indent).Append("override_path = true\n");
        }

        if (registries.ConfigFor(tlsHost ?? RegistryEndpoint.HostOf(endpoint))?.Tls is not { } tls)
        {
            return;
        }

        if (!string.IsNullOrEmpty(tls.CaFile))
        {
            toml.Append(indent).Append($"ca = {Toml.String(tls.CaFile)}\n");
        }

        if (!string.IsNullOrEmpty(tls.CertFile) && !string.IsNullOrEmpty(tls.KeyFile))
        {
            toml.Append(indent).Append($"client = [[{Toml.String(tls.CertFile)}, {Toml.String(tls.KeyFile)}]]\n");
        }

        if (tls.InsecureSkipVerify)
        {
            toml.Append(indent).Append("skip_verify = true\n");
        }
    }

    private static bool HasOwnPath(Uri endpoint) => endpoint.AbsolutePath.Trim('/').Length > 0;

    /// <summary>An endpoint with a path gets /v2 appended (K3s' reading), since override_path takes the URL as the API root.</summary>
    private static string HostUrl(Uri endpoint)
    {
        var url = RegistryEndpoint.ForHostsToml(endpoint);
        return HasOwnPath(endpoint) && !url.EndsWith("/v2", StringComparison.Ordinal) ? url + "/v2" : url;
    }
}
