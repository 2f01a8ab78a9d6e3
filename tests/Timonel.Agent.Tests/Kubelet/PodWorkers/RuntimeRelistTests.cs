using Timonel.Agent.Kubelet.PodWorkers;
using static Timonel.Agent.Tests.Kubelet.KubeletPods;

namespace Timonel.Agent.Tests.Kubelet.PodWorkers;

public sealed class RuntimeRelistTests
{
    [Fact]
    public async Task ChangedPods_ContainerExits_NamesOnlyItsPod()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("a"));
        await kubelet.SyncAsync(Pod("b"));
        var relist = new RuntimeRelist(kubelet.Runtime);
        Assert.Equal(["uid-a", "uid-b"], (await relist.ChangedPodsAsync(CancellationToken.None)).Order());
        Assert.Empty(await relist.ChangedPodsAsync(CancellationToken.None));

        kubelet.Runtime.Exit(kubelet.Runtime.Containers.Single(c => c.PodUid == "uid-b").Id, 0);

        Assert.Equal(["uid-b"], await relist.ChangedPodsAsync(CancellationToken.None));
    }
}
