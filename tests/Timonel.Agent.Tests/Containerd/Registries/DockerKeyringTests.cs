using Timonel.Agent.Containerd.Registries;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class DockerKeyringTests
{
    [Theory]
    [InlineData("https://index.docker.io/v1/", "nginx")]
    [InlineData("index.docker.io", "docker.io/library/nginx")]
    [InlineData("docker.io", "bitnami/redis")]
    [InlineData("registry.example.com", "registry.example.com/team/app:1")]
    [InlineData("https://registry.example.com/v2/", "registry.example.com/team/app")]
    [InlineData("registry.example.com/team", "registry.example.com/team/app")]
    [InlineData("*.example.com", "registry.example.com/app")]
    [InlineData("registry.example.com:5000", "registry.example.com:5000/app")]
    public void Lookup_MatchingKey_GivesItsCredentials(string key, string image)
    {
        var keyring = new DockerKeyring();
        keyring.Add(key, new AuthConfig { Username = "u" });

        Assert.Equal("u", Assert.Single(keyring.Lookup(image)).Username);
    }

    [Theory]
    [InlineData("registry.example.com", "other.example.com/app")]
    [InlineData("registry.example.com/team", "registry.example.com/otherteam/app")]
    [InlineData("*.example.com", "a.b.example.com/app")]
    [InlineData("registry.example.com:5000", "registry.example.com/app")]
    [InlineData("registry.example.com", "registry.example.com:5000/app")]
    [InlineData("https://index.docker.io/v1/", "quay.io/app")]
    public void Lookup_OtherRegistry_GivesNothing(string key, string image)
    {
        var keyring = new DockerKeyring();
        keyring.Add(key, new AuthConfig { Username = "u" });

        Assert.Empty(keyring.Lookup(image));
    }

    [Fact]
    public void Lookup_SeveralMatches_MostSpecificFirst()
    {
        var keyring = new DockerKeyring();
        keyring.Add("registry.example.com", new AuthConfig { Username = "host" });
        keyring.Add("registry.example.com/team", new AuthConfig { Username = "team" });

        Assert.Equal(["team", "host"], keyring.Lookup("registry.example.com/team/app").Select(a => a.Username));
    }
}
