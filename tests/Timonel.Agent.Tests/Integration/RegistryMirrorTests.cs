using Timonel.Agent.Kubelet.Cri;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Tests.Integration;

/// <summary>Image pulls through the certs.d hosts the agent writes from registries.yaml (root only).</summary>
[Trait("Category", "Integration")]
public sealed class RegistryMirrorTests(MirroredContainerdFixture fixture) : IClassFixture<MirroredContainerdFixture>
{
    [SkippableFact]
    public async Task PullImage_MirroredRegistry_ComesFromTheMirror()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var runtime = fixture.Containerd.Runtime;

        var reference = await runtime.PullImageAsync(new ImageSpec { Image = MirroredContainerdFixture.MirroredBusybox }, null, null, CancellationToken.None);

        Assert.StartsWith("sha256:", reference);
        var image = await runtime.ImageStatusAsync(new ImageSpec { Image = MirroredContainerdFixture.MirroredBusybox }, CancellationToken.None);
        Assert.Contains(MirroredContainerdFixture.MirroredBusybox, image!.RepoTags);
    }

    [SkippableFact]
    public async Task PullImage_NotOnTheMirror_FailsWithoutFallingBackToDockerHub()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);

        var error = await Assert.ThrowsAsync<CriException>(() => fixture.Containerd.Runtime.PullImageAsync(new ImageSpec { Image = "docker.io/library/absent:1" }, null, null, CancellationToken.None));

        Assert.StartsWith("CRI PullImage:", error.Message);
        Assert.Contains("not found", error.Message);
        Assert.DoesNotContain("registry-1.docker.io", error.Message);
    }
}
