using Timonel.Agent.Containerd.Images;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Containerd.Images;

public sealed class ImageTableTests
{
    [Fact]
    public void Render_OneRowPerTag_WithShortIdAndHumanSize()
    {
        var busybox = new Image { Id = "sha256:0123456789abcdef0123", Size = 4_863_123 };
        busybox.RepoTags.Add("docker.io/library/busybox:latest");
        busybox.RepoTags.Add("docker.io/library/busybox:1.35");
        var pause = new Image { Id = "sha256:fedcba9876543210", Size = 736 };
        pause.RepoTags.Add("registry.k8s.io/pause:3.10");

        var lines = ImageTable.Render([pause, busybox]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["REPOSITORY", "TAG", "IMAGE", "ID", "SIZE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["docker.io/library/busybox", "1.35", "0123456789abc", "4.863MB"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["docker.io/library/busybox", "latest", "0123456789abc", "4.863MB"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["registry.k8s.io/pause", "3.10", "fedcba9876543", "736B"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(lines[0].IndexOf("TAG", StringComparison.Ordinal), lines[3].IndexOf("3.10", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_UntaggedImage_ShowsItsRepositoryFromTheDigest()
    {
        var image = new Image { Id = "sha256:aaaaaaaaaaaaaaaa", Size = 1_500_000_000 };
        image.RepoDigests.Add("quay.io/x/y@sha256:bbbb");

        var row = ImageTable.Render([image]).Split('\n')[1];

        Assert.Equal(["quay.io/x/y", "<none>", "aaaaaaaaaaaaa", "1.5GB"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
