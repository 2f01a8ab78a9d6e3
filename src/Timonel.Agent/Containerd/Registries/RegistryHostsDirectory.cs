namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// The agent's containerd certs.d directory, kept up with the registries an image is pulled from: before a pull, the
/// image's registry host gets the hosts.toml registries.yaml gives it when it has none yet. That is how the "*" mirror
/// and config reach hosts the file does not name, since containerd 1.6 has no catch-all host but reads the directory
/// again at every pull. A host registries.yaml says nothing about (no entry, no "*") gets no file: containerd then
/// talks to the registry itself, as without registries.yaml.
/// </summary>
public sealed class RegistryHostsDirectory(string certsDir, RegistriesFile registries)
{
    // Pulls from one host may start together; one writer at a time keeps the temporary file theirs alone.
    private readonly Lock _writing = new();

    public void EnsureFor(string host)
    {
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.StartsWith('.') || RegistryHosts.RenderFor(host, registries) is not { } content)
        {
            return;
        }

        var file = Path.Combine(certsDir, host, RegistryHosts.FileName);
        lock (_writing)
        {
            if (!File.Exists(file) || File.ReadAllText(file) != content)
            {
                AtomicFile.Write(file, content);
            }
        }
    }
}
