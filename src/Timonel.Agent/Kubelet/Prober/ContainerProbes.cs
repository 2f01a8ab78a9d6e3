using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// The probes of one container instance and what they add up to: started once the startup probe succeeded (at
/// once without one), ready when started and the readiness probe last succeeded (or there is none), and a failure
/// when liveness or startup failed past its threshold.
/// </summary>
internal sealed class ContainerProbes : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<ProbeKind, ProbeWorker> _workers = [];

    public ContainerProbes(V1Pod pod, V1Container container, string containerId, string podIP, ProbeRunner runner, Action<ProbeUnhealthy> unhealthy, Action changed)
    {
        PodUid = pod.Metadata.Uid;
        var target = new ProbeTarget(pod, container, containerId, podIP);
        foreach (var (kind, spec) in Specs(container))
        {
            _workers[kind] = new ProbeWorker(kind, spec, target, runner, MayRun, (worker, result) => Report(worker, result, container.Name, unhealthy, changed));
        }
    }

    public string PodUid { get; }

    public bool Started
    {
        get
        {
            lock (_gate)
            {
                return IsStarted();
            }
        }
    }

    public bool Ready
    {
        get
        {
            lock (_gate)
            {
                return IsStarted() && (!_workers.TryGetValue(ProbeKind.Readiness, out var readiness) || readiness.Thresholds.Current == true);
            }
        }
    }

    public ProbeFailure? Failure
    {
        get
        {
            lock (_gate)
            {
                var failed = _workers.Values.FirstOrDefault(w => w.Kind != ProbeKind.Readiness && w.Thresholds.Current == false);
                return failed is null ? null : new ProbeFailure(failed.Kind.ToString(), failed.LastFailure);
            }
        }
    }

    public void Start(TimeProvider time, DateTimeOffset startedAt)
    {
        foreach (var worker in _workers.Values)
        {
            worker.Start(time, startedAt);
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Stop();
        }
    }

    private static IEnumerable<(ProbeKind Kind, V1Probe Spec)> Specs(V1Container container)
    {
        if (container.StartupProbe is { } startup)
        {
            yield return (ProbeKind.Startup, startup);
        }

        if (container.LivenessProbe is { } liveness)
        {
            yield return (ProbeKind.Liveness, liveness);
        }

        if (container.ReadinessProbe is { } readiness)
        {
            yield return (ProbeKind.Readiness, readiness);
        }
    }

    private bool IsStarted() => !_workers.TryGetValue(ProbeKind.Startup, out var startup) || startup.Thresholds.Current == true;

    private bool MayRun(ProbeKind kind)
    {
        lock (_gate)
        {
            return kind == ProbeKind.Startup ? !IsStarted() : IsStarted();
        }
    }

    private void Report(ProbeWorker worker, ProbeResult result, string containerName, Action<ProbeUnhealthy> unhealthy, Action changed)
    {
        if (result.Outcome == ProbeOutcome.Error)
        {
            // upstream's prober event for a probe that errored on every try; its worker then drops the result.
            unhealthy(new ProbeUnhealthy(PodUid, containerName, worker.Kind, $"{worker.Kind} probe errored and resulted in unknown state: {result.Output}"));
            return;
        }

        bool transitioned;
        lock (_gate)
        {
            var wasStarted = IsStarted();
            transitioned = worker.Thresholds.Observe(result.Succeeded);
            if (!result.Succeeded)
            {
                worker.LastFailure = result.Output;
            }

            // A failed liveness or startup probe holds until the container is replaced; a passed startup probe is done.
            if ((worker.Kind != ProbeKind.Readiness && worker.Thresholds.Current == false) || (worker.Kind == ProbeKind.Startup && worker.Thresholds.Current == true))
            {
                worker.Stop();
            }

            transitioned |= wasStarted != IsStarted();
        }

        if (!result.Succeeded)
        {
            unhealthy(new ProbeUnhealthy(PodUid, containerName, worker.Kind, $"{worker.Kind} probe failed: {result.Output}"));
        }

        if (transitioned)
        {
            changed();
        }
    }
}
