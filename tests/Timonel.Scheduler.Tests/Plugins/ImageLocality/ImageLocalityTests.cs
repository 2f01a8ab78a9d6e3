using k8s.Models;
using Timonel.Scheduler.Tests.Fakes;
using Plugin = Timonel.Scheduler.Plugins.ImageLocality.ImageLocality;

namespace Timonel.Scheduler.Tests.Plugins.ImageLocality;

public sealed class ImageLocalityTests
{
    private const long Mb = 1024 * 1024;

    [Theory]
    [InlineData("busybox", "busybox:latest")]
    [InlineData("busybox:1.36", "busybox:1.36")]
    [InlineData("registry:5000/busybox", "registry:5000/busybox:latest")]
    [InlineData("registry:5000/busybox:1.36", "registry:5000/busybox:1.36")]
    public void NormalizedImageName_NoTag_IsLatest(string image, string expected) =>
        Assert.Equal(expected, Plugin.NormalizedImageName(image));

    // upstream calculatePriority: below 23 MB scores 0, 1000 MB per container scores 100.
    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(23 * Mb, 1, 0)]
    [InlineData(1000 * Mb, 1, 100)]
    [InlineData(5000 * Mb, 1, 100)]
    [InlineData(511 * Mb, 1, 49)]
    [InlineData(1000 * Mb, 2, 49)] // 100 * 977 / 1977
    public void CalculatePriority_Sum_IsClampedAndScaled(long sum, int containers, long expected) =>
        Assert.Equal(expected, Plugin.CalculatePriority(sum, containers));

    [Fact]
    public void Score_ImageOnOneOfTwoNodes_ScaledByItsSpread()
    {
        var withImage = TestCluster.Node("n1");
        withImage.Status.Images = [new V1ContainerImage { Names = ["docker.io/library/big@sha256:abc", "big:latest"], SizeBytes = 1000 * Mb }];
        var cluster = new TestCluster(withImage, TestCluster.Node("n2"));
        var pod = TestCluster.Pod("p");
        pod.Spec.Containers[0].Image = "big";

        var scores = cluster.Score(new Plugin(cluster.Handle()), pod)!;

        // 1000 MB held by half the nodes counts as 500 MB: 100 * (500 - 23) / (1000 - 23).
        Assert.Equal(48, scores["n1"]);
        Assert.Equal(0, scores["n2"]);
    }

    [Fact]
    public void PreScore_NoNodeHoldsTheImages_Skips()
    {
        var cluster = new TestCluster(TestCluster.Node("n1"), TestCluster.Node("n2"));

        Assert.Null(cluster.Score(new Plugin(cluster.Handle()), TestCluster.Pod("p")));
    }
}
