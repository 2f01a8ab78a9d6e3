using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class PodLifecycleTests
{
    [Fact]
    public async Task Changed_PodBoundToSimulatedNode_RunningWithAnAddressOfTheNodesRange()
    {
        using var harness = await AgentHarness.StartAsync(2);

        harness.Agent.PodChanged(TestPods.Bound("web", "sim-1"));
        await harness.RunDueAsync();

        var status = harness.Api.LastStatus("web");
        Assert.Equal("Running", status.Phase);
        Assert.Equal("10.42.1.2", status.PodIP);
        Assert.Equal("10.200.0.2", status.HostIP);
        Assert.True(Assert.Single(status.ContainerStatuses).Ready);
    }

    [Fact]
    public async Task Events_PodStartedThenDeleted_PulledCreatedStartedThenKillingFromItsNodesKubelet()
    {
        using var harness = await AgentHarness.StartAsync(2);
        var pod = TestPods.Bound("web", "sim-1");
        harness.Agent.PodChanged(pod);
        await harness.RunDueAsync();

        harness.Agent.PodChanged(TestPods.Deleting(pod, harness.Start));
        await harness.RunDueAsync();

        Assert.Equal(
            [
                "sim-1 Pulled Pod/web spec.containers{app}: Container image \"nginx\" already present on machine",
                "sim-1 Created Pod/web spec.containers{app}: Created container: app",
                "sim-1 Started Pod/web spec.containers{app}: Started container app",
                "sim-1 Killing Pod/web spec.containers{app}: Stopping container app",
            ],
            harness.Events.Lines);
    }

    [Fact]
    public async Task Changed_PodOnAnotherNode_Ignored()
    {
        using var harness = await AgentHarness.StartAsync(2);

        harness.Agent.PodChanged(TestPods.Bound("web", "real-node"));
        await harness.RunDueAsync();

        Assert.Empty(harness.Api.PodStatuses);
    }

    [Fact]
    public async Task Changed_TwoPodsOnOneNode_DistinctAddresses_FreedAddressReused()
    {
        using var harness = await AgentHarness.StartAsync(1);
        var first = TestPods.Bound("a", "sim-0");
        harness.Agent.PodChanged(first);
        harness.Agent.PodChanged(TestPods.Bound("b", "sim-0"));
        await harness.RunDueAsync();
        Assert.Equal("10.42.0.2", harness.Api.LastStatus("a").PodIP);
        Assert.Equal("10.42.0.3", harness.Api.LastStatus("b").PodIP);

        harness.Agent.PodRemoved(first);
        harness.Agent.PodChanged(TestPods.Bound("c", "sim-0"));
        await harness.RunDueAsync();

        Assert.Equal("10.42.0.2", harness.Api.LastStatus("c").PodIP);
    }

    [Fact]
    public async Task Readiness_ProbeWithInitialDelay_ReadyOnlyAfterTheDelay()
    {
        using var harness = await AgentHarness.StartAsync(1);
        harness.Agent.PodChanged(TestPods.Bound("web", "sim-0", readinessDelay: 10));
        await harness.RunDueAsync();
        Assert.Equal("False", harness.Api.LastStatus("web").Conditions.Single(c => c.Type == "Ready").Status);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.Single(harness.Api.PodStatuses);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        var status = harness.Api.LastStatus("web");
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(harness.Start.AddSeconds(10), harness.Api.PodStatuses[^1].At);
    }

    [Fact]
    public async Task Readiness_AnnotatedNotReadyWhileRunning_ReportedNotReadyThenReadyAgain()
    {
        using var harness = await AgentHarness.StartAsync(1);
        var pod = TestPods.Bound("web", "sim-0");
        harness.Agent.PodChanged(pod);
        await harness.RunDueAsync();
        Assert.Equal("True", harness.Api.LastStatus("web").Conditions.Single(c => c.Type == "Ready").Status);

        harness.Agent.PodChanged(pod with { Metadata = pod.Metadata with { Annotations = new Dictionary<string, string> { [PodRun.ReadyAnnotation] = "false" } } });
        await harness.RunDueAsync();
        var notReady = harness.Api.LastStatus("web");
        harness.Agent.PodChanged(pod);
        await harness.RunDueAsync();

        Assert.Equal("False", notReady.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("Running", notReady.Phase);
        Assert.Equal("True", harness.Api.LastStatus("web").Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Theory]
    [InlineData("Never", "0", "Succeeded", "Completed")]
    [InlineData("Never", "3", "Failed", "Error")]
    [InlineData("OnFailure", "1", "Failed", "Error")]
    public async Task RunSeconds_PodThatEnds_FinishesWithItsExitCode(string restartPolicy, string exitCode, string phase, string reason)
    {
        using var harness = await AgentHarness.StartAsync(1);
        var annotations = new Dictionary<string, string> { ["sim.timonel.io/run-seconds"] = "5", ["sim.timonel.io/exit-code"] = exitCode };
        harness.Agent.PodChanged(TestPods.Bound("job", "sim-0", restartPolicy, annotations: annotations));
        await harness.RunDueAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        var status = harness.Api.LastStatus("job");
        Assert.Equal(phase, status.Phase);
        var terminated = Assert.Single(status.ContainerStatuses).State.Terminated;
        Assert.Equal(int.Parse(exitCode), terminated.ExitCode);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(harness.Start.AddSeconds(5).UtcDateTime, terminated.FinishedAt);
    }

    [Fact]
    public async Task RunSeconds_RestartPolicyAlways_KeepsRunning()
    {
        using var harness = await AgentHarness.StartAsync(1);
        var annotations = new Dictionary<string, string> { ["sim.timonel.io/run-seconds"] = "5" };
        harness.Agent.PodChanged(TestPods.Bound("web", "sim-0", annotations: annotations));
        await harness.RunDueAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("Running", harness.Api.LastStatus("web").Phase);
    }

    [Fact]
    public async Task Deleting_RunningPod_ContainersReportedStoppedThenRemovedByUid()
    {
        using var harness = await AgentHarness.StartAsync(1);
        var pod = TestPods.Bound("web", "sim-0");
        harness.Agent.PodChanged(pod);
        await harness.RunDueAsync();
        var running = TestPods.WithStatus(pod, harness.Api.LastStatus("web"));

        harness.Agent.PodChanged(TestPods.Deleting(running, harness.Start.AddSeconds(30)));
        await harness.RunDueAsync();

        var final = harness.Api.LastStatus("web");
        Assert.Equal("Succeeded", final.Phase);
        Assert.NotNull(Assert.Single(final.ContainerStatuses).State.Terminated);
        Assert.Equal([("web", "uid-web")], harness.Api.DeletedPods);
    }

    [Fact]
    public async Task Changed_PodAlreadyRunning_AdoptedWithoutANewStatusAndItsAddressKept()
    {
        using var harness = await AgentHarness.StartAsync(1);
        var pod = TestPods.Bound("old", "sim-0");
        pod.Status.Phase = "Running";
        pod.Status.StartTime = harness.Start.UtcDateTime;
        pod.Status.PodIP = "10.42.0.2";
        pod.Status.ContainerStatuses = [new() { Name = "app", Ready = true }];

        harness.Agent.PodChanged(pod);
        harness.Agent.PodChanged(TestPods.Bound("new", "sim-0"));
        await harness.RunDueAsync();

        Assert.DoesNotContain(harness.Api.PodStatuses, s => s.Pod == "old");
        Assert.Equal("10.42.0.3", harness.Api.LastStatus("new").PodIP);
    }
}
