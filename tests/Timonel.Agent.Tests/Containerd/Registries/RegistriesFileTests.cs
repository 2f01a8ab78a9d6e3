using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class RegistriesFileTests
{
    [Fact]
    public void Parse_K3sExample_ReadsMirrorsRewritesAndConfigs()
    {
        var file = RegistriesFile.Parse("""
            mirrors:
              docker.io:
                endpoint:
                  - "https://mirror.example.com:5000"
                rewrite:
                  "^rancher/(.*)": "mirrorproject/rancher-images/$1"
            configs:
              "mirror.example.com:5000":
                auth:
                  username: alice
                  password: secret
                  auth: YWxpY2U6c2VjcmV0
                  identity_token: tok
                tls:
                  ca_file: /etc/ssl/mirror-ca.crt
                  cert_file: /etc/ssl/client.crt
                  key_file: /etc/ssl/client.key
                  insecure_skip_verify: true
            """);

        Assert.Equal(["https://mirror.example.com:5000"], file.Mirrors["docker.io"].Endpoint);
        Assert.Equal("mirrorproject/rancher-images/$1", file.Mirrors["docker.io"].Rewrite["^rancher/(.*)"]);
        var config = file.Configs["mirror.example.com:5000"];
        Assert.Equal("alice", config.Auth!.Username);
        Assert.Equal("secret", config.Auth.Password);
        Assert.Equal("YWxpY2U6c2VjcmV0", config.Auth.Auth);
        Assert.Equal("tok", config.Auth.IdentityToken);
        Assert.Equal("/etc/ssl/mirror-ca.crt", config.Tls!.CaFile);
        Assert.Equal("/etc/ssl/client.crt", config.Tls.CertFile);
        Assert.Equal("/etc/ssl/client.key", config.Tls.KeyFile);
        Assert.True(config.Tls.InsecureSkipVerify);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing configured\n")]
    public void Parse_EmptyFile_IsNoConfiguration(string yaml)
    {
        var file = RegistriesFile.Parse(yaml);

        Assert.Empty(file.Mirrors);
        Assert.Empty(file.Configs);
    }

    [Fact]
    public void Load_MissingFile_IsNoConfiguration()
    {
        var file = RegistriesFile.Load("/nonexistent/registries.yaml");

        Assert.Empty(file.Mirrors);
    }

    [Fact]
    public void Parse_NotYamlOfTheRightShape_IsAFormatErrorWithThePosition()
    {
        var error = Assert.Throws<FormatException>(() => RegistriesFile.Parse("mirrors:\n  docker.io:\n    endpoint: {a: b}\n"));

        Assert.Contains("line 3", error.Message);
    }

    [Theory]
    [InlineData("mirrors:\n  docker.io:\n    endpoint: [\"ftp://x\"]\n", "mirrors.\"docker.io\".endpoint \"ftp://x\"")]
    [InlineData("mirrors:\n  docker.io:\n    endpoint: [\"http://m\"]\n    rewrite: {\"^(lib\": x}\n", "mirrors.\"docker.io\".rewrite \"^(lib\" is not a valid regular expression")]
    public void Parse_BadMirrorEntry_IsAFormatErrorNamingIt(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RegistriesFile.Parse(yaml));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ConfigForAndMirrorFor_HostWithoutAnEntry_TakeTheWildcards()
    {
        var file = RegistriesFile.Parse("""
            mirrors:
              "*":
                endpoint: ["http://127.0.0.1:5000"]
            configs:
              "*":
                auth: {username: any, password: p}
              docker.io:
                auth: {username: hub, password: p}
            """);

        Assert.Equal("hub", file.ConfigFor("docker.io")!.Auth!.Username);
        Assert.Equal("any", file.ConfigFor("ghcr.io")!.Auth!.Username);
        Assert.Equal(["http://127.0.0.1:5000"], file.MirrorFor("ghcr.io")!.Endpoint);
        Assert.Equal(["docker.io"], file.NamedHosts);
    }
}
