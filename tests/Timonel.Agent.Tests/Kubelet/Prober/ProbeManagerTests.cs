using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.Prober;

namespace Timonel.Agent.Tests.Kubelet.Prober;

public sealed class ProbeManagerTests : IDisposable
{
    private const string ContainerId = "c-1";

    private readonly FakeTimeProvider _clock = new();
    private readonly ExecOnlyRuntimeStub _runtime = new();
    private readonly ProbeManager _manager;
    private readonly List<string> _changes = [];
    private readonly List<ProbeUnhealthy> _unhealthy = [];

    public ProbeManagerTests()
    {
        _manager = new ProbeManager(_runtime, _clock);
        _manager.Changed += uid => _changes.Add(uid);
        _manager.Unhealthy += e => _unhealthy.Add(e);
    }

    public void Dispose() => _manager.Dispose();

    [Fact]
    public void ContainerStarted_NoProbes_StartedAndReadyAtOnce()
    {
        Start(new V1Container { Name = "app" });

        Assert.True(_manager.IsStarted(ContainerId));
        Assert.True(_manager.IsReady(ContainerId));
        Assert.Null(_manager.Failure(ContainerId));
    }

    [Fact]
    public void Results_UnknownContainer_NeitherStartedNorReady()
    {
        Assert.False(_manager.IsStarted("unknown"));
        Assert.False(_manager.IsReady("unknown"));
    }

    [Fact]
    public void Readiness_InitialDelay_ProbedThenReady()
    {
        Start(new V1Container { Name = "app", ReadinessProbe = Exec("ready", initialDelay: 5) });

        var (before, at) = ReadBeforeAndAt(TimeSpan.FromSeconds(5), () => (_runtime.RunsOf("ready"), _manager.IsReady(ContainerId)));

        Assert.Equal((0, false), before);
        Assert.Equal((1, true), at);
        Assert.Equal(["pod-uid"], _changes);
    }

    [Fact]
    public void Probes_Period_Repeat()
    {
        Start(new V1Container { Name = "app", ReadinessProbe = Exec("ready", period: 7) });

        var (before, at) = ReadBeforeAndAt(TimeSpan.FromSeconds(7), () => _runtime.RunsOf("ready"));

        Assert.Equal((1, 2), (before, at));
    }

    [Fact]
    public void Liveness_FailuresInARow_FailureThenHold()
    {
        _runtime.Script("alive", (1, "boom"), (1, "boom"), (0, "ok"), (1, "boom"), (1, "boom"), (1, "still boom"));
        Start(new V1Container { Name = "app", LivenessProbe = Exec("alive", failureThreshold: 3) });

        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(_manager.Failure(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new ProbeFailure("Liveness", "still boom"), _manager.Failure(ContainerId));
        Assert.Equal("Liveness probe failed: boom", _unhealthy[0].Message);
        Assert.Equal(5, _unhealthy.Count);
        Assert.Equal(["pod-uid"], _changes);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(6, _runtime.RunsOf("alive"));
    }

    [Fact]
    public void Startup_Pending_GatesLivenessAndReadiness()
    {
        _runtime.Script("started", (1, ""), (0, ""));
        Start(new V1Container
        {
            Name = "app",
            StartupProbe = Exec("started", period: 10),
            LivenessProbe = Exec("alive", period: 15),
            ReadinessProbe = Exec("ready", period: 15),
        });

        Assert.False(_manager.IsStarted(ContainerId));
        Assert.Equal(0, _runtime.RunsOf("alive") + _runtime.RunsOf("ready"));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_manager.IsStarted(ContainerId));
        Assert.False(_manager.IsReady(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, _runtime.RunsOf("alive"));
        Assert.True(_manager.IsReady(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _runtime.RunsOf("started"));
    }

    [Fact]
    public void Startup_KeepsFailing_Failure()
    {
        _runtime.Otherwise = (1, "not yet");
        Start(new V1Container { Name = "app", StartupProbe = Exec("started", failureThreshold: 2) });

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new ProbeFailure("Startup", "not yet"), _manager.Failure(ContainerId));
        Assert.False(_manager.IsStarted(ContainerId));
        Assert.All(_unhealthy, e => Assert.Equal(ProbeKind.Startup, e.Kind));
    }

    [Fact]
    public void Readiness_Thresholds_ReadyAfterSuccessesUnreadyAfterFailures()
    {
        _runtime.Script("ready", (0, ""), (0, ""), (1, "down"), (1, "down"));
        Start(new V1Container { Name = "app", ReadinessProbe = Exec("ready", successThreshold: 2, failureThreshold: 2) });

        Assert.False(_manager.IsReady(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_manager.IsReady(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_manager.IsReady(ContainerId));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.False(_manager.IsReady(ContainerId));
        Assert.Null(_manager.Failure(ContainerId));
        Assert.Equal(2, _changes.Count);
        Assert.Equal(new ProbeUnhealthy("pod-uid", "app", ProbeKind.Readiness, "Readiness probe failed: down"), _unhealthy[0]);
    }

    [Fact]
    public void Readiness_RuntimeErrorsThenSuccess_TriedAgainWithinTheAttempt()
    {
        const int error = ExecOnlyRuntimeStub.RuntimeError;
        _runtime.Script("ready", (error, "container is stopping"), (error, "container is stopping"), (0, ""));
        Start(new V1Container { Name = "app", ReadinessProbe = Exec("ready") });

        Assert.Equal(3, _runtime.RunsOf("ready"));
        Assert.True(_manager.IsReady(ContainerId));
        Assert.Empty(_unhealthy);
    }

    [Fact]
    public void Liveness_ErrorsOnEveryTry_ReportedButNeverAFailure()
    {
        _runtime.Otherwise = (ExecOnlyRuntimeStub.RuntimeError, "container is stopping");
        Start(new V1Container { Name = "app", LivenessProbe = Exec("alive", failureThreshold: 1) });

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(6, _runtime.RunsOf("alive"));
        Assert.Null(_manager.Failure(ContainerId));
        Assert.Equal(
            [new ProbeUnhealthy("pod-uid", "app", ProbeKind.Liveness, "Liveness probe errored and resulted in unknown state: container is stopping")],
            _unhealthy.Distinct());
        Assert.Equal(2, _unhealthy.Count);
        Assert.Empty(_changes);
    }

    [Fact]
    public void ContainerStopped_Probing_Stops()
    {
        Start(new V1Container { Name = "app", LivenessProbe = Exec("alive") });
        _manager.ContainerStopped(ContainerId);

        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(1, _runtime.RunsOf("alive"));
        Assert.False(_manager.IsStarted(ContainerId));
    }

    [Fact]
    public void RemovePod_Probing_Stops()
    {
        Start(new V1Container { Name = "app", LivenessProbe = Exec("alive") });
        _manager.RemovePod("pod-uid");

        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(1, _runtime.RunsOf("alive"));
    }

    [Fact]
    public void ContainerStarted_NewInstance_FreshResults()
    {
        _runtime.Script("alive", (1, "dead"));
        var container = new V1Container { Name = "app", LivenessProbe = Exec("alive", failureThreshold: 1) };
        Start(container);
        Assert.NotNull(_manager.Failure(ContainerId));

        Start(container, "c-2");

        Assert.Null(_manager.Failure("c-2"));
    }

    private static V1Probe Exec(string command, int initialDelay = 0, int period = 10, int successThreshold = 1, int failureThreshold = 3) => new()
    {
        Exec = new V1ExecAction { Command = [command] },
        InitialDelaySeconds = initialDelay,
        PeriodSeconds = period,
        SuccessThreshold = successThreshold,
        FailureThreshold = failureThreshold,
    };

    private void Start(V1Container container, string containerId = ContainerId)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", Uid = "pod-uid" },
            Spec = new V1PodSpec { Containers = [container] },
        };
        _manager.ContainerStarted(pod, container.Name, containerId, "10.42.0.5", _clock.GetUtcNow());
    }

    private (T Before, T At) ReadBeforeAndAt<T>(TimeSpan due, Func<T> read)
    {
        _clock.Advance(due - TimeSpan.FromMilliseconds(1));
        var before = read();
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        return (before, read());
    }
}
