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
}
