using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Kubelet.Gc;
using static Timonel.Agent.Tests.Kubelet.KubeletPods;

namespace Timonel.Agent.Tests.Kubelet.Gc;

public sealed class GarbageCollectorTests
{
    [Fact]
    public async Task Collect_LivePod_KeepsTheNewestDeadContainerPerName()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("crash"));
        for (var i = 0; i < 3; i++)
        {
            kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 1);
            kubelet.Time.Advance(TimeSpan.FromMinutes(6));
            await kubelet.ResyncAsync("crash");
        }

        Assert.Equal(4, kubelet.Runtime.ContainersNamed("app").Count);
        var running = kubelet.Runtime.Latest("app").Id;
        var previous = kubelet.Runtime.ContainersNamed("app")[^2].Id;

        await new ContainerGarbageCollector(kubelet.Runtime, NullLogger.Instance).CollectAsync(new HashSet<string> { "uid-crash" }, CancellationToken.None);

        Assert.Equal([previous, running], kubelet.Runtime.ContainersNamed("app").Select(c => c.Id));
    }

    [Fact]
    public async Task Collect_PodGone_StopsAndRemovesItsContainersAndSandboxes()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("kept"));
        await kubelet.SyncAsync(Pod("gone"));
        var gone = kubelet.Runtime.Containers.Single(c => c.PodUid == "uid-gone").Id;

        await new ContainerGarbageCollector(kubelet.Runtime, NullLogger.Instance).CollectAsync(new HashSet<string> { "uid-kept" }, CancellationToken.None);

        Assert.Contains($"StopContainer {gone} 2", kubelet.Runtime.Calls);
        Assert.Equal(["uid-kept"], kubelet.Runtime.Containers.Select(c => c.PodUid));
        Assert.Equal(["uid-kept"], kubelet.Runtime.Sandboxes.Select(s => s.PodUid));
    }

    [Fact]
    public async Task CollectImages_Above85Percent_RemovesUnusedImagesOnly()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36", 100);
        kubelet.Runtime.AddImage("nginx:1.27", 300);
        kubelet.Runtime.AddImage("redis:7", 200);
        await kubelet.SyncAsync(Pod("web"));
        kubelet.Runtime.ImageFsUsedBytes = 900;
        var collector = new ImageGarbageCollector(kubelet.Runtime, kubelet.Runtime, _ => 1000, NullLogger.Instance);

        var freed = await collector.CollectAsync(CancellationToken.None);

        Assert.Equal(300UL, freed);
        var left = (await kubelet.Runtime.ListImagesAsync(CancellationToken.None)).SelectMany(i => i.RepoTags).Order();
        Assert.Equal(["docker.io/library/busybox:1.36", "docker.io/library/redis:7"], left);
    }

    [Fact]
    public async Task CollectImages_Below85Percent_RemovesNothing()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("nginx:1.27", 300);
        kubelet.Runtime.ImageFsUsedBytes = 840;

        var freed = await new ImageGarbageCollector(kubelet.Runtime, kubelet.Runtime, _ => 1000, NullLogger.Instance).CollectAsync(CancellationToken.None);

        Assert.Equal(0UL, freed);
        Assert.Single(await kubelet.Runtime.ListImagesAsync(CancellationToken.None));
    }
}
