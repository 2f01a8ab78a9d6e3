using Timonel.Agent.Containerd.Registries;

namespace Timonel.Agent.Tests.Containerd.Registries;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx")]
    [InlineData("nginx:alpine", "docker.io", "library/nginx")]
    [InlineData("bitnami/redis:7", "docker.io", "bitnami/redis")]
    [InlineData("docker.io/busybox", "docker.io", "library/busybox")]
    [InlineData("index.docker.io/library/busybox", "docker.io", "library/busybox")]
    [InlineData("registry.k8s.io/pause:3.10", "registry.k8s.io", "pause")]
    [InlineData("gcr.io/google-samples/hello-app:1.0", "gcr.io", "google-samples/hello-app")]
    [InlineData("localhost/app", "localhost", "app")]
    [InlineData("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000", "team/app")]
    [InlineData("quay.io/x/y@sha256:0123", "quay.io", "x/y")]
    public void Parse_NormalizesLikeDocker(string image, string host, string repository)
    {
        Assert.Equal(new ImageReference(host, repository), ImageReference.Parse(image));
    }
}
