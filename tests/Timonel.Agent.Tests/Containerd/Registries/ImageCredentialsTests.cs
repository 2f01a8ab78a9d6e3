using System.Text;
using k8s.Models;
using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class ImageCredentialsTests
{
    private static V1Secret DockerConfigJson(string json) => new()
    {
        Metadata = new V1ObjectMeta { Name = "regcred", NamespaceProperty = "default" },
        Type = "kubernetes.io/dockerconfigjson",
        Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes(json) },
    };

    [Fact]
    public void For_DockerConfigJsonSecret_MatchesByRegistryHostAndDecodesAuth()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:hunter2"));
        var secret = DockerConfigJson("""{"auths":{"registry.example.com":{"auth":"AUTH"}}}""".Replace("AUTH", auth, StringComparison.Ordinal));

        var credentials = new ImageCredentials(RegistriesFile.Empty).For("registry.example.com/app:1", [secret]);

        var found = Assert.Single(credentials);
        Assert.Equal("bob", found.Username);
        Assert.Equal("hunter2", found.Password);
        Assert.Empty(found.ServerAddress);
    }

    [Fact]
    public void For_DockerCfgSecret_IsReadToo()
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "old", NamespaceProperty = "default" },
            Type = "kubernetes.io/dockercfg",
            Data = new Dictionary<string, byte[]> { [".dockercfg"] = """{"https://index.docker.io/v1/":{"username":"u","password":"p"}}"""u8.ToArray() },
        };

        var found = Assert.Single(new ImageCredentials(RegistriesFile.Empty).For("nginx:alpine", [secret]));

        Assert.Equal("u", found.Username);
    }

    [Fact]
    public void For_SecretsFirst_ThenRegistriesYamlAuth()
    {
        var registries = RegistriesFile.Parse("configs:\n  registry.example.com:\n    auth: {username: node, password: np}\n");
        var secret = DockerConfigJson("""{"auths":{"registry.example.com":{"username":"pod","password":"pp"}}}""");

        var credentials = new ImageCredentials(registries).For("registry.example.com/app", [secret]);

        Assert.Equal(["pod", "node"], credentials.Select(c => c.Username));
    }

    [Fact]
    public void For_MirroredRegistry_TakesTheMirrorEndpointsAuth()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              docker.io:
                endpoint: ["https://mirror.example.com:5000"]
            configs:
              mirror.example.com:5000:
                auth: {identity_token: tok}
            """);

        var found = Assert.Single(new ImageCredentials(registries).For("busybox", []));

        Assert.Equal("tok", found.IdentityToken);
    }

    [Fact]
    public void For_NoMatchingCredentials_IsAnonymous()
    {
        var secret = DockerConfigJson("""{"auths":{"quay.io":{"username":"q","password":"p"}}}""");

        Assert.Empty(new ImageCredentials(RegistriesFile.Empty).For("registry.k8s.io/pause:3.10", [secret]));
    }

    [Theory]
    [InlineData("kubernetes.io/dockerconfigjson", ".dockerconfigjson", "not json", "not valid JSON")]
    [InlineData("kubernetes.io/dockerconfigjson", ".other", "{}", "has no .dockerconfigjson key")]
    [InlineData("Opaque", ".dockerconfigjson", "{}", "is of type Opaque")]
    public void For_UnusableSecret_IsReportedAndSkipped(string type, string key, string content, string problem)
    {
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "bad", NamespaceProperty = "default" },
            Type = type,
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(content) },
        };
        var problems = new List<string>();

        var credentials = new ImageCredentials(RegistriesFile.Empty).For("nginx", [secret], problems);

        Assert.Empty(credentials);
        Assert.Contains(problem, Assert.Single(problems));
        Assert.Contains("default/bad", problems[0]);
    }

    [Fact]
    public void For_HostOnlyTheWildcardConfigCovers_TakesItsAuthOnce()
    {
        var registries = RegistriesFile.Parse("""
            mirrors:
              "*":
                endpoint: ["https://mirror.example.com"]
            configs:
              "*":
                auth: {username: any, password: p}
            """);

        var found = Assert.Single(new ImageCredentials(registries).For("ghcr.io/owner/app:1", []));

        Assert.Equal("any", found.Username);
    }
}
