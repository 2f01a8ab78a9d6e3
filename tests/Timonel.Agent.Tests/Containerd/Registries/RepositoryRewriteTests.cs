using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class RepositoryRewriteTests
{
    private static readonly RegistriesFile _registries = RegistriesFile.Parse("""
        mirrors:
          docker.io:
            endpoint: ["https://registry.example.com:5000"]
            rewrite:
              "^rancher/(.*)": "mirrorproject/rancher-images/$1"
              "^library/(.*)": "mirrorlib/$1"
          "*":
            endpoint: ["http://127.0.0.1:5000"]
            rewrite:
              "^(.*)$": "all/$1"
          quay.io:
            rewrite:
              "^(.*)$": "never/$1"
        """);

    [Theory]
    [InlineData("docker.io/rancher/coredns-coredns:1.6.3", "docker.io/mirrorproject/rancher-images/coredns-coredns:1.6.3")]
    [InlineData("nginx:alpine", "docker.io/mirrorlib/nginx:alpine")]
    [InlineData("busybox", "docker.io/mirrorlib/busybox:latest")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io/mirrorlib/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ghcr.io/owner/app:2", "ghcr.io/all/owner/app:2")]
    public void Apply_MatchingPattern_RewritesThePathAndKeepsTheHostAndTag(string image, string expected)
    {
        Assert.Equal(expected, RepositoryRewrite.Apply(_registries, image));
    }

    [Theory]
    [InlineData("docker.io/grafana/grafana:11")]
    [InlineData("quay.io/prometheus/prometheus:v3")]
    public void Apply_NoPatternMatchesOrNoMirrorEndpoints_IsNull(string image)
    {
        Assert.Null(RepositoryRewrite.Apply(_registries, image));
    }
}
