using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class RegistryHostsDirectoryTests : IDisposable
{
    private readonly string _certsDir = Path.Combine(Path.GetTempPath(), "certs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_certsDir))
        {
            Directory.Delete(_certsDir, recursive: true);
        }
    }

    [Fact]
    public void EnsureFor_HostOnlyTheWildcardCovers_WritesItsHostsToml()
    {
        var directory = new RegistryHostsDirectory(_certsDir, RegistriesFile.Parse("mirrors:\n  \"*\":\n    endpoint: [\"http://127.0.0.1:5000\"]\n"));

        directory.EnsureFor("registry.example.test:8443");

        Assert.Contains("server = \"http://127.0.0.1:5000\"\n", File.ReadAllText(Path.Combine(_certsDir, "registry.example.test:8443", "hosts.toml")));
    }

    [Fact]
    public void EnsureFor_HostRegistriesYamlSaysNothingAbout_WritesNothing()
    {
        var directory = new RegistryHostsDirectory(_certsDir, RegistriesFile.Parse("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n"));

        directory.EnsureFor("ghcr.io");

        Assert.False(Directory.Exists(Path.Combine(_certsDir, "ghcr.io")));
    }
}
