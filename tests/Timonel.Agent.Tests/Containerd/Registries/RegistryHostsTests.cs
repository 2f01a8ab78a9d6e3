using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class RegistryHostsTests
{
    [Fact]
    public void Render_MirroredHost_ListsEndpointsInOrderAndNeverFallsBackToThePublicRegistry()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              docker.io:
                endpoint: ["http://127.0.0.1:5000", "mirror.example.com"]
            """);

        var hosts = RegistryHosts.Render(registries);

        var toml = hosts["docker.io"];
        Assert.Contains("server = \"http://127.0.0.1:5000\"\n", toml);
        Assert.DoesNotContain("registry-1.docker.io", toml);
        var first = toml.IndexOf("[host.\"http://127.0.0.1:5000\"]\n  capabilities = [\"pull\", \"resolve\"]\n", StringComparison.Ordinal);
        var second = toml.IndexOf("[host.\"https://mirror.example.com\"]\n  capabilities = [\"pull\", \"resolve\"]\n", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, toml);
    }

    [Fact]
    public void Render_MirrorEndpointTls_ComesFromTheEndpointHostsConfig()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              registry.k8s.io:
                endpoint: ["https://mirror.example.com:5000"]
            configs:
              mirror.example.com:5000:
                tls:
                  ca_file: /ca.crt
                  cert_file: /c.crt
                  key_file: /c.key
            """);

        var toml = RegistryHosts.Render(registries)["registry.k8s.io"];

        Assert.Contains("[host.\"https://mirror.example.com:5000\"]\n  capabilities = [\"pull\", \"resolve\"]\n  ca = \"/ca.crt\"\n  client = [[\"/c.crt\", \"/c.key\"]]\n", toml);
    }

    [Fact]
    public void Render_ConfigOnlyHost_TalksToThatHostWithItsTls()
    {
        var registries = RegistriesFile.Parse("""
            configs:
              registry.example.com:
                tls:
                  insecure_skip_verify: true
            """);

        var hosts = RegistryHosts.Render(registries);

        Assert.Equal(["registry.example.com"], hosts.Keys);
        Assert.Contains("server = \"https://registry.example.com\"\nskip_verify = true\n", hosts["registry.example.com"]);
    }

    [Fact]
    public void Render_DockerHubConfigWithoutMirror_UsesDockerHubsRegistryServer()
    {
        var registries = RegistriesFile.Parse("configs:\n  docker.io:\n    auth: {username: a, password: b}\n");

        Assert.Contains("server = \"https://registry-1.docker.io\"\n", RegistryHosts.Render(registries)["docker.io"]);
    }

    [Fact]
    public void Render_EndpointWithAPath_OverridesThePathToItsV2()
    {
        var registries = RegistriesFile.Parse("mirrors:\n  quay.io:\n    endpoint: [\"https://proxy.example.com/quay\"]\n");

        var toml = RegistryHosts.Render(registries)["quay.io"];

        Assert.Contains("[host.\"https://proxy.example.com/quay/v2\"]\n  capabilities = [\"pull\", \"resolve\"]\n  override_path = true\n", toml);
    }

    [Fact]
    public void Render_WildcardMirror_MirrorsConfigOnlyHostsAndTheHostsAskedFor_NotItself()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              "*":
                endpoint: ["http://127.0.0.1:5000"]
              docker.io:
                endpoint: ["https://hub-mirror.example.com"]
            configs:
              registry.example.com:
                auth: {username: a, password: b}
            """);

        var hosts = RegistryHosts.Render(registries, alsoFor: ["registry.k8s.io"]);

        Assert.Equal(["docker.io", "registry.example.com", "registry.k8s.io"], hosts.Keys);
        Assert.Contains("server = \"https://hub-mirror.example.com\"\n", hosts["docker.io"]);
        Assert.Contains("server = \"http://127.0.0.1:5000\"\n", hosts["registry.example.com"]);
        Assert.Contains("server = \"http://127.0.0.1:5000\"\n", hosts["registry.k8s.io"]);
    }

    [Fact]
    public void RenderFor_HostWithItsOwnEmptyEntry_IsNotCaughtByTheWildcard()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              "*":
                endpoint: ["http://127.0.0.1:5000"]
              quay.io:
            """);

        Assert.Null(RegistryHosts.RenderFor("quay.io", registries));
        Assert.Contains("server = \"http://127.0.0.1:5000\"\n", RegistryHosts.RenderFor("ghcr.io", registries));
    }

    [Fact]
    public void RenderFor_WildcardConfig_GivesAnyHostItsTls()
    {
        var registries = RegistriesFile.Parse("configs:\n  \"*\":\n    tls: {insecure_skip_verify: true}\n");

        Assert.Contains("server = \"https://ghcr.io\"\nskip_verify = true\n", RegistryHosts.RenderFor("ghcr.io", registries));
    }

    [Fact]
    public void RenderFor_HostRegistriesYamlSaysNothingAbout_IsNull()
    {
        var registries = RegistriesFile.Parse("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n");

        Assert.Null(RegistryHosts.RenderFor("ghcr.io", registries));
    }

    [Fact]
    public void Write_OneHostsTomlPerHost_AndHostsNoLongerNamedAreRemoved()
    {
        var dir = Directory.CreateTempSubdirectory("timonel-certs-").FullName;
        try
        {
            RegistryHosts.Write(dir, RegistriesFile.Parse("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n  registry.k8s.io:\n    endpoint: [\"http://127.0.0.1:5000\"]\n"));
            RegistryHosts.Write(dir, RegistriesFile.Parse("mirrors:\n  docker.io:\n    endpoint: [\"http://127.0.0.1:5001\"]\n"));

            Assert.Equal(["docker.io"], Directory.GetDirectories(dir).Select(Path.GetFileName));
            Assert.Contains("server = \"http://127.0.0.1:5001\"", File.ReadAllText(Path.Combine(dir, "docker.io", "hosts.toml")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
