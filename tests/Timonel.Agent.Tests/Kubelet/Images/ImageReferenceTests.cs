using Timonel.Agent.Kubelet.Images;

namespace Timonel.Agent.Tests.Kubelet.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("bitnami/redis", "docker.io/bitnami/redis:latest")]
    [InlineData("registry.local:5000/team/app:v2", "registry.local:5000/team/app:v2")]
    [InlineData("localhost/app", "localhost/app:latest")]
    [InlineData("nginx@sha256:abc", "docker.io/library/nginx@sha256:abc")]
    public void Normalize_FamiliarName_TheRuntimesName(string image, string expected) => Assert.Equal(expected, ImageReference.Normalize(image));

    [Theory]
    [InlineData("nginx", true)]
    [InlineData("nginx:latest", true)]
    [InlineData("nginx:1.27", false)]
    [InlineData("registry.local:5000/app", true)]
    [InlineData("nginx@sha256:abc", false)]
    public void IsLatestOrUntagged_Image_AsTheDefaultPullPolicySeesIt(string image, bool expected) => Assert.Equal(expected, ImageReference.IsLatestOrUntagged(image));

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
