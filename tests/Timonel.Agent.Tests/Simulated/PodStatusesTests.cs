using k8s.Models;
using Timonel.Agent.Simulated;

namespace Timonel.Agent.Tests.Simulated;

public sealed class PodStatusesTests
{
    private static readonly DateTimeOffset _start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Running_NoProbes_ConditionsInTheKubeletsOrderAllTrue()
    {
        var pod = TestPods.Bound("web", "sim-0");

        var status = PodStatuses.Running(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", _start);

        Assert.Equal(
            ["PodReadyToStartContainers:True", "Initialized:True", "Ready:True", "ContainersReady:True", "PodScheduled:True"],
            status.Conditions.Select(c => $"{c.Type}:{c.Status}"));
        Assert.Equal(_start.UtcDateTime, status.StartTime);
        Assert.Equal("BestEffort", status.QosClass);
        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal((true, true, 0), (container.Ready, container.Started!.Value, container.RestartCount));
        Assert.Equal(_start.UtcDateTime, container.State.Running.StartedAt);
        Assert.Equal("docker.io/library/nginx:latest", container.Image);
        Assert.StartsWith("containerd://", container.ContainerID, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_BeforeTheReadinessDelay_NotReadyWithUpstreamsReason()
    {
        var pod = TestPods.Bound("web", "sim-0", readinessDelay: 5);

        var status = PodStatuses.Running(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", _start.AddSeconds(4));

        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [app]"), (ready.Status, ready.Reason, ready.Message));
        Assert.False(Assert.Single(status.ContainerStatuses).Ready);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    public void Running_ReadyAnnotation_DecidesTheReadinessProbe(string annotation, bool ready)
    {
        var pod = TestPods.Bound("web", "sim-0", annotations: new() { [PodRun.ReadyAnnotation] = annotation });

        var status = PodStatuses.Running(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", _start.AddSeconds(30));

        Assert.Equal(ready ? "True" : "False", status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(ready, Assert.Single(status.ContainerStatuses).Ready);
    }

    [Fact]
    public void Running_UnchangedCondition_KeepsItsTransitionTime()
    {
        var pod = TestPods.Bound("web", "sim-0", readinessDelay: 5);
        var run = PodStatuses.Plan(pod, _start);
        var first = PodStatuses.Running(pod, run, "10.200.0.1", "10.42.0.2", _start);

        var later = PodStatuses.Running(TestPods.WithStatus(pod, first), run, "10.200.0.1", "10.42.0.2", _start.AddSeconds(5));

        Assert.Equal(_start.UtcDateTime, later.Conditions.Single(c => c.Type == "Initialized").LastTransitionTime);
        Assert.Equal(_start.AddSeconds(5).UtcDateTime, later.Conditions.Single(c => c.Type == "Ready").LastTransitionTime);
    }

    [Fact]
    public void Running_ScheduledByAScheduler_ItsPodScheduledConditionKept()
    {
        var pod = TestPods.Bound("web", "sim-0");
        var scheduled = new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = _start.AddMinutes(-1).UtcDateTime };
        pod.Status.Conditions = [scheduled];

        var status = PodStatuses.Running(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", _start);

        Assert.Same(scheduled, status.Conditions.Single(c => c.Type == "PodScheduled"));
    }

    [Fact]
    public void Running_InitContainers_CompletedAndReady_SidecarRunning()
    {
        var pod = TestPods.Bound("web", "sim-0");
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "busybox" }, new V1Container { Name = "proxy", Image = "envoy", RestartPolicy = "Always" }];

        var status = PodStatuses.Running(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", _start);

        var setup = status.InitContainerStatuses.Single(c => c.Name == "setup");
        Assert.Equal(("Completed", 0, true), (setup.State.Terminated.Reason, setup.State.Terminated.ExitCode, setup.Ready));
        Assert.NotNull(status.InitContainerStatuses.Single(c => c.Name == "proxy").State.Running);
    }

    [Theory]
    [InlineData("Always", null, null, null)]
    [InlineData("Never", null, null, null)]
    [InlineData("Never", "7", null, 7)]
    [InlineData("OnFailure", null, "2", 0)]
    public void Plan_Annotations_FinishOnlyForPodsThatEnd(string restartPolicy, string? runSeconds, string? exitCode, int? finishesAfter)
    {
        var annotations = new Dictionary<string, string>();
        if (runSeconds is not null)
        {
            annotations[PodRun.RunSecondsAnnotation] = runSeconds;
        }

        if (exitCode is not null)
        {
            annotations[PodRun.ExitCodeAnnotation] = exitCode;
        }

        var run = PodStatuses.Plan(TestPods.Bound("p", "sim-0", restartPolicy, annotations: annotations), _start);

        Assert.Equal(finishesAfter is { } seconds ? _start.AddSeconds(seconds) : null, run.FinishAt);
    }

    [Fact]
    public void Terminated_Completed_ReadyFalseWithPodCompleted()
    {
        var pod = TestPods.Bound("job", "sim-0", "Never");

        var status = PodStatuses.Terminated(pod, PodStatuses.Plan(pod, _start), "10.200.0.1", "10.42.0.2", 0, _start.AddSeconds(3));

        Assert.Equal("Succeeded", status.Phase);
        Assert.Equal(("False", "PodCompleted"), status.Conditions.Where(c => c.Type == "Ready").Select(c => (c.Status, c.Reason)).Single());
        Assert.Equal("False", status.Conditions.Single(c => c.Type == "PodReadyToStartContainers").Status);
        var container = Assert.Single(status.ContainerStatuses);
        Assert.Equal(container.ContainerID, container.State.Terminated.ContainerID);
        Assert.False(container.Started);
    }
}
