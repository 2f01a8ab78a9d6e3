using Timonel.Agent.Kubelet.Prober;
using static Timonel.Agent.Tests.Kubelet.KubeletPods;

namespace Timonel.Agent.Tests.Kubelet.PodWorkers;

public sealed class PodSyncerTests
{
    [Fact]
    public async Task Sync_NewPod_RunsSandboxAndContainerAndReportsRunning()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");

        await kubelet.SyncAsync(Pod("web"));

        var status = kubelet.Status("web");
        Assert.Equal("Running", status.Phase);
        Assert.Equal("10.42.0.2", status.PodIP);
        Assert.Equal("192.168.1.10", status.HostIP);
        var app = Assert.Single(status.ContainerStatuses);
        Assert.NotNull(app.State.Running);
        Assert.True(app.Ready);
        Assert.Equal("docker.io/library/busybox:1.36", app.Image);
        Assert.StartsWith("docker.io/library/busybox@sha256:", app.ImageID, StringComparison.Ordinal);
        Assert.Equal("containerd://" + kubelet.Runtime.Latest("app").Id, app.ContainerID);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], status.Conditions.Select(c => c.Type));
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
        Assert.Equal(["Pulled", "Created", "Started"], kubelet.EventReasons);
        Assert.Equal("Container image \"busybox:1.36\" already present on machine", kubelet.EventMessages("Pulled")[0]);
    }

    [Fact]
    public async Task Sync_Unchanged_WritesTheStatusOnce()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");

        await kubelet.SyncAsync(Pod("web"));
        await kubelet.ResyncAsync("web");
        await kubelet.ResyncAsync("web");

        Assert.Single(kubelet.Api.PodStatuses);
        Assert.Single(kubelet.Runtime.Containers);
    }

    [Fact]
    public async Task Sync_InitContainers_RunOneAfterAnotherBeforeTheContainers()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        var pod = WithInit(Pod("web"), Container("first"), Container("second"));

        await kubelet.SyncAsync(pod);
        Assert.Equal(["first"], kubelet.Runtime.Containers.Select(c => c.Name));
        Assert.Equal("Pending", kubelet.Status("web").Phase);
        Assert.Equal("PodInitializing", kubelet.Container("web", "app").State.Waiting.Reason);
        var initialized = kubelet.Status("web").Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "containers with incomplete status: [first second]"), (initialized.Status, initialized.Message));

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("first").Id, 0);
        await kubelet.ResyncAsync("web");
        Assert.Equal(["first", "second"], kubelet.Runtime.Containers.Select(c => c.Name));

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("second").Id, 0);
        await kubelet.ResyncAsync("web");
        Assert.Equal(["first", "second", "app"], kubelet.Runtime.Containers.Select(c => c.Name));
        Assert.Equal("Running", kubelet.Status("web").Phase);
        Assert.Equal("Completed", kubelet.Container("web", "first").State.Terminated.Reason);
    }

    [Fact]
    public async Task Sync_FailingInitContainerWithRestartNever_PodFails()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        var pod = WithInit(Pod("job", "Never"), Container("setup"));

        await kubelet.SyncAsync(pod);
        kubelet.Runtime.Exit(kubelet.Runtime.Latest("setup").Id, 2);
        await kubelet.ResyncAsync("job");

        Assert.Equal("Failed", kubelet.Status("job").Phase);
        Assert.Equal(["setup"], kubelet.Runtime.Containers.Select(c => c.Name));
    }

    [Fact]
    public async Task Sync_CrashingContainer_RestartsWithDoublingBackOff()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("crash"));

        // First exit: restarted at once.
        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 1);
        await kubelet.ResyncAsync("crash");
        Assert.Equal(2, kubelet.Runtime.ContainersNamed("app").Count);
        Assert.Equal(1, kubelet.Container("crash", "app").RestartCount);
        Assert.Equal(1, kubelet.Container("crash", "app").LastState.Terminated.ExitCode);

        // Second exit: waits 10 s in CrashLoopBackOff.
        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 1);
        await kubelet.ResyncAsync("crash");
        var waiting = kubelet.Container("crash", "app");
        Assert.Equal("CrashLoopBackOff", waiting.State.Waiting.Reason);
        Assert.Equal("back-off 10s restarting failed container=app pod=crash_default(uid-crash)", waiting.State.Waiting.Message);
        Assert.Equal("Running", kubelet.Status("crash").Phase);
        Assert.Contains("Back-off restarting failed container app in pod crash_default(uid-crash)", kubelet.EventMessages("BackOff"));
        Assert.Equal(kubelet.Time.GetUtcNow().AddSeconds(10), kubelet.Records["uid-crash"].WakeAt);

        kubelet.Time.Advance(TimeSpan.FromSeconds(9));
        await kubelet.ResyncAsync("crash");
        Assert.Equal(2, kubelet.Runtime.ContainersNamed("app").Count);
        kubelet.Time.Advance(TimeSpan.FromSeconds(1));
        await kubelet.ResyncAsync("crash");
        Assert.Equal(3, kubelet.Runtime.ContainersNamed("app").Count);

        // Third exit: 20 s.
        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 1);
        await kubelet.ResyncAsync("crash");
        Assert.Equal("back-off 20s restarting failed container=app pod=crash_default(uid-crash)", kubelet.Container("crash", "app").State.Waiting.Message);
    }

    [Fact]
    public async Task Sync_RestartNeverAndFailure_PodFailsAndSandboxStops()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("once", "Never"));

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 3);
        await kubelet.ResyncAsync("once");

        var status = kubelet.Status("once");
        Assert.Equal("Failed", status.Phase);
        Assert.Equal((3, "Error"), (status.ContainerStatuses[0].State.Terminated.ExitCode, status.ContainerStatuses[0].State.Terminated.Reason));
        Assert.Single(kubelet.Runtime.Containers);
        Assert.All(kubelet.Runtime.Sandboxes, s => Assert.Equal(Timonel.Agent.Kubelet.Cri.V1.PodSandboxState.SandboxNotready, s.State));
        Assert.Contains("uid-once", kubelet.Volumes.Unmounted);
    }

    [Fact]
    public async Task Sync_OnFailureAndSuccess_PodSucceeds()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("job", "OnFailure"));

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 0);
        await kubelet.ResyncAsync("job");

        var status = kubelet.Status("job");
        Assert.Equal("Succeeded", status.Phase);
        Assert.Equal("Completed", status.ContainerStatuses[0].State.Terminated.Reason);
        Assert.Equal("PodCompleted", status.Conditions.Single(c => c.Type == "Ready").Reason);
    }

    [Fact]
    public async Task Sync_OomKilled_ReportsTheRuntimesReason()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("hog", "Never"));

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 137, "OOMKilled");
        await kubelet.ResyncAsync("hog");

        Assert.Equal("OOMKilled", kubelet.Container("hog", "app").State.Terminated.Reason);
    }

    [Fact]
    public async Task Sync_LivenessFailure_KillsAndRestartsWithEvents()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("web"));
        var first = kubelet.Runtime.Latest("app").Id;

        kubelet.Probes.SetFailure("uid-web", "app", new ProbeFailure("Liveness", "HTTP probe failed with statuscode: 500"));
        await kubelet.ResyncAsync("web");

        Assert.Contains($"StopContainer {first} 30", kubelet.Runtime.Calls);
        Assert.Equal(["Container app failed liveness probe, will be restarted"], kubelet.EventMessages("Killing"));
        Assert.Equal(2, kubelet.Runtime.ContainersNamed("app").Count);
        Assert.Equal(1, kubelet.Container("web", "app").RestartCount);
    }

    [Fact]
    public async Task Sync_Readiness_SetsTheReadyCondition()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        kubelet.Probes.SetReady("uid-web", "app", false);
        await kubelet.SyncAsync(Pod("web"));
        var ready = kubelet.Status("web").Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (ready.Status, ready.Reason, ready.Message));

        kubelet.Time.Advance(TimeSpan.FromSeconds(5));
        kubelet.Probes.SetReady("uid-web", "app", true);
        await kubelet.ResyncAsync("web");

        ready = kubelet.Status("web").Conditions.Single(c => c.Type == "Ready");
        Assert.Equal("True", ready.Status);
        Assert.Equal(kubelet.Time.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
        Assert.True(kubelet.Container("web", "app").Ready);
    }

    [Fact]
    public async Task Sync_Deleted_RunsPreStopThenStopsWithGraceAndDeletes()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        var container = Container("app");
        container.Lifecycle = new k8s.Models.V1Lifecycle { PreStop = new k8s.Models.V1LifecycleHandler { Exec = new k8s.Models.V1ExecAction { Command = ["/bin/sh", "-c", "sleep 1"] } } };
        var pod = Pod("web", "Always", container);
        await kubelet.SyncAsync(pod);
        var id = kubelet.Runtime.Latest("app").Id;

        await kubelet.SyncAsync(Deleting(pod, kubelet.Time.GetUtcNow(), grace: 20));

        var calls = kubelet.Runtime.Calls.ToList();
        var preStop = calls.IndexOf($"ExecSync {id} /bin/sh -c sleep 1");
        var stop = calls.IndexOf($"StopContainer {id} 20");
        Assert.InRange(preStop, 0, stop - 1);
        Assert.Contains(calls, c => c.StartsWith("StopPodSandbox", StringComparison.Ordinal));
        Assert.Contains("Stopping container app", kubelet.EventMessages("Killing"));
        Assert.Equal([("web", "uid-web")], kubelet.Api.DeletedPods);
        Assert.Contains("uid-web", kubelet.Volumes.Unmounted);
        Assert.Equal("Failed", kubelet.Status("web").Phase);
    }

    [Fact]
    public async Task Sync_ImagePullFailure_ErrImagePullThenImagePullBackOff()
    {
        using var kubelet = new KubeletHarness();
        var pod = Pod("web", "Always", Container("app", "registry.local:5000/missing:1"));

        await kubelet.SyncAsync(pod);
        var app = kubelet.Container("web", "app");
        Assert.Equal("ErrImagePull", app.State.Waiting.Reason);
        Assert.Contains("not found", app.State.Waiting.Message, StringComparison.Ordinal);
        Assert.Equal("Pending", kubelet.Status("web").Phase);

        kubelet.Time.Advance(TimeSpan.FromSeconds(5));
        await kubelet.ResyncAsync("web");
        Assert.Equal("ImagePullBackOff", kubelet.Container("web", "app").State.Waiting.Reason);
        Assert.Equal("Back-off pulling image \"registry.local:5000/missing:1\"", kubelet.Container("web", "app").State.Waiting.Message);

        kubelet.Runtime.RegistryImages.Add("registry.local:5000/missing:1");
        kubelet.Time.Advance(TimeSpan.FromSeconds(5));
        await kubelet.ResyncAsync("web");
        Assert.NotNull(kubelet.Container("web", "app").State.Running);
        Assert.Single(kubelet.EventMessages("Pulled"), m => m.StartsWith("Successfully pulled image \"registry.local:5000/missing:1\" in ", StringComparison.Ordinal));
        Assert.Contains("Error: ErrImagePull", kubelet.EventMessages("Failed"));
    }

    [Fact]
    public async Task Sync_ImagePullPolicyNeverAndNoImage_ErrImageNeverPull()
    {
        using var kubelet = new KubeletHarness();
        var container = Container("app");
        container.ImagePullPolicy = "Never";

        await kubelet.SyncAsync(Pod("web", "Always", container));

        Assert.Equal("ErrImageNeverPull", kubelet.Container("web", "app").State.Waiting.Reason);
        Assert.DoesNotContain(kubelet.Runtime.Calls, c => c.StartsWith("PullImage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_ConfigError_WaitsWithCreateContainerConfigError()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        kubelet.Configs.Failures["app"] = "configmap \"settings\" not found";

        await kubelet.SyncAsync(Pod("web"));

        var waiting = kubelet.Container("web", "app").State.Waiting;
        Assert.Equal(("CreateContainerConfigError", "configmap \"settings\" not found"), (waiting.Reason, waiting.Message));
    }

    [Fact]
    public async Task Sync_VolumeNotReady_FailedMountThenRetries()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        kubelet.Volumes.Failure = ("config", "configmap \"settings\" not found");

        await kubelet.SyncAsync(Pod("web"));
        Assert.Equal(["MountVolume.SetUp failed for volume \"config\" : configmap \"settings\" not found"], kubelet.EventMessages("FailedMount"));
        Assert.Empty(kubelet.Runtime.Sandboxes);

        kubelet.Volumes.Failure = null;
        await kubelet.ResyncAsync("web");
        Assert.Equal("Running", kubelet.Status("web").Phase);
    }

    [Fact]
    public async Task Sync_NotEnoughCpu_RejectsOutOfcpu()
    {
        using var kubelet = new KubeletHarness(new Timonel.Agent.Kubelet.PodWorkers.NodeResources(1000, 8L << 30, 110));
        kubelet.Runtime.AddImage("busybox:1.36");
        var big = Container("app");
        big.Resources = new k8s.Models.V1ResourceRequirements { Requests = new Dictionary<string, k8s.Models.ResourceQuantity> { ["cpu"] = new("800m") } };
        await kubelet.SyncAsync(Pod("first", "Always", big));

        await kubelet.SyncAsync(Pod("second", "Always", big));

        var status = kubelet.Status("second");
        Assert.Equal(("Failed", "OutOfcpu"), (status.Phase, status.Reason));
        Assert.Equal("Pod was rejected: Node didn't have enough resource: cpu, requested: 800, used: 800, capacity: 1000", status.Message);
        Assert.Single(kubelet.Runtime.Sandboxes);
    }

    [Fact]
    public async Task Sync_SandboxDied_RecreatesIt()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        await kubelet.SyncAsync(Pod("web"));

        kubelet.Runtime.KillSandbox(kubelet.Runtime.Sandboxes[0].Id);
        await kubelet.ResyncAsync("web");

        Assert.Equal(2, kubelet.Runtime.Sandboxes.Count);
        Assert.Contains("SandboxChanged", kubelet.EventReasons);
        Assert.NotNull(kubelet.Container("web", "app").State.Running);
    }

    [Fact]
    public async Task Sync_AfterAgentRestart_AdoptsRunningContainers()
    {
        using var before = new KubeletHarness();
        before.Runtime.AddImage("busybox:1.36");
        await before.SyncAsync(Pod("web"));
        var calls = before.Runtime.Calls.Count;

        // A new kubelet over the same runtime: its records are empty, the runtime's labels find the pod's containers.
        before.Records.Clear();
        await before.SyncAsync(Pod("web") with { Status = before.Status("web") });

        Assert.Single(before.Runtime.Containers);
        Assert.Equal(calls, before.Runtime.Calls.Count);
    }

    [Fact]
    public async Task Sync_PostStartHookFails_KillsTheContainerAndRestartsIt()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        kubelet.Runtime.ExecHandler = (_, command) => new Timonel.Agent.Kubelet.Cri.V1.ExecSyncResponse { ExitCode = command[0] == "false" ? 1 : 0 };
        var container = Container("app");
        container.Lifecycle = new k8s.Models.V1Lifecycle { PostStart = new k8s.Models.V1LifecycleHandler { Exec = new k8s.Models.V1ExecAction { Command = ["false"] } } };

        await kubelet.SyncAsync(Pod("web", "Always", container));

        Assert.Single(kubelet.EventMessages("FailedPostStartHook"));
        Assert.Equal(Timonel.Agent.Kubelet.Cri.V1.ContainerState.ContainerExited, kubelet.Runtime.Latest("app").State);
        await kubelet.ResyncAsync("web");
        Assert.Equal(2, kubelet.Runtime.ContainersNamed("app").Count);
    }

    [Fact]
    public async Task Sync_TerminationMessageFile_IsTheTerminatedMessage()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "disk full");
            await kubelet.SyncAsync(Pod("once", "Never"));
            var app = kubelet.Runtime.Latest("app");
            app.Config.Mounts.Add(new Timonel.Agent.Kubelet.Cri.V1.Mount { ContainerPath = "/dev/termination-log", HostPath = file });

            kubelet.Runtime.Exit(app.Id, 1);
            await kubelet.ResyncAsync("once");

            Assert.Equal("disk full", kubelet.Container("once", "app").State.Terminated.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sync_JobWithSidecar_SidecarRunsBesideAndStopsWhenTheJobIsDone()
    {
        using var kubelet = new KubeletHarness();
        kubelet.Runtime.AddImage("busybox:1.36");
        var sidecar = Container("proxy");
        sidecar.RestartPolicy = "Always";
        var pod = WithInit(Pod("job", "Never"), sidecar);

        await kubelet.SyncAsync(pod);
        Assert.Equal(["proxy", "app"], kubelet.Runtime.Containers.Select(c => c.Name));
        Assert.Equal("Running", kubelet.Status("job").Phase);

        kubelet.Runtime.Exit(kubelet.Runtime.Latest("app").Id, 0);
        await kubelet.ResyncAsync("job");

        Assert.Equal("Succeeded", kubelet.Status("job").Phase);
        Assert.Contains($"StopContainer {kubelet.Runtime.Latest("proxy").Id} 30", kubelet.Runtime.Calls);
    }
}
