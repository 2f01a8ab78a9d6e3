using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Kubelet.PodWorkers;
using static Timonel.Agent.Tests.Kubelet.KubeletPods;

namespace Timonel.Agent.Tests.Kubelet.PodWorkers;

public sealed class PodWorkerSetTests
{
    [Fact]
    public async Task Update_NewPod_ItsWorkerRunsIt_Remove_ItsWorkerEnds()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await using var workers = new PodWorkerSet(kubelet.Syncer, kubelet.Time, NullLogger.Instance, TimeSpan.FromMinutes(1));
        var pod = Pod("web");

        workers.Update(pod);
        await Eventually(() => kubelet.Api.PodStatuses.Any(s => s.Status.Phase == "Running"));
        Assert.Equal(["uid-web"], workers.PodUids);

        workers.Update(Deleting(pod, kubelet.Time.GetUtcNow()));
        await Eventually(() => kubelet.Api.DeletedPods.Count == 1);
        workers.Remove(pod);
        await Eventually(() => workers.PodUids.Count == 0);
        Assert.Single(kubelet.Runtime.ContainersNamed("app"));
    }

    [Fact]
    public async Task Wake_AfterAnExit_TheWorkerRestartsTheContainer()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await using var workers = new PodWorkerSet(kubelet.Syncer, kubelet.Time, NullLogger.Instance, TimeSpan.FromMinutes(1));
        workers.Update(Pod("web"));
        await Eventually(() => kubelet.Runtime.Containers.Count == 1 && kubelet.Api.PodStatuses.Count > 0);

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 1);
        workers.Wake("uid-web");

        await Eventually(() => kubelet.Runtime.ContainersNamed("app").Count == 2);
    }

    // The workers run on their own tasks: wait (on the real clock, bounded) for what they do. The fakes' lists are
    // read while a worker may add to them: a read that collides is tried again.
    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !Holds(condition); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(Holds(condition));
    }

    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
