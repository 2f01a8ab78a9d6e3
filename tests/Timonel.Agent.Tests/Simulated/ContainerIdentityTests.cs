using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class ContainerIdentityTests
{
    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("nginx:1.27", "docker.io/library/nginx:1.27")]
    [InlineData("bitnami/redis", "docker.io/bitnami/redis:latest")]
    [InlineData("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10")]
    [InlineData("localhost:5000/app", "localhost:5000/app:latest")]
    [InlineData("busybox@sha256:abc", "docker.io/library/busybox@sha256:abc")]
    public void Image_Reference_NormalizedAsContainerdReportsIt(string image, string expected) => Assert.Equal(expected, ContainerIdentity.Image(image));

    [Fact]
    public void ImageId_Tagged_RepositoryAtDigest() =>
        Assert.Matches("^docker.io/library/nginx@sha256:[0-9a-f]{64}$", ContainerIdentity.ImageId("nginx:1.27"));

    [Fact]
    public void ContainerId_PerPodAndContainer_Distinct() =>
        Assert.NotEqual(ContainerIdentity.ContainerId("uid", "a"), ContainerIdentity.ContainerId("uid", "b"));
}
