using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// One probe of one container instance (the prober's worker): a timer every periodSeconds (default 10) from
/// initialDelaySeconds after the container started; an attempt runs only when its container's probes allow it
/// (startup before started, liveness and readiness after) and never overlaps the previous one.
/// </summary>
internal sealed class ProbeWorker
{
    private readonly V1Probe _spec;
    private readonly ProbeTarget _target;
    private readonly ProbeRunner _runner;
    private readonly Func<ProbeKind, bool> _mayRun;
    private readonly Action<ProbeWorker, ProbeResult> _report;
    private ITimer? _timer;
    private int _busy;
    private volatile bool _stopped;

    public ProbeWorker(ProbeKind kind, V1Probe spec, ProbeTarget target, ProbeRunner runner, Func<ProbeKind, bool> mayRun, Action<ProbeWorker, ProbeResult> report)
    {
        Kind = kind;
        _spec = spec;
        _target = target;
        _runner = runner;
        _mayRun = mayRun;
        _report = report;
        Thresholds = new ProbeThresholds(spec.SuccessThreshold, spec.FailureThreshold, InitialResult(kind));
    }

    public ProbeKind Kind { get; }

    public ProbeThresholds Thresholds { get; }

    /// <summary>The output of the last failed attempt.</summary>
    public string LastFailure { get; set; } = "";

    public void Start(TimeProvider time, DateTimeOffset startedAt)
    {
        var period = TimeSpan.FromSeconds(_spec.PeriodSeconds is > 0 and var p ? p : 10);
        var firstAt = startedAt + TimeSpan.FromSeconds(Math.Max(_spec.InitialDelaySeconds ?? 0, 0));
        var due = firstAt - time.GetUtcNow();
        _timer = time.CreateTimer(_ => Tick(), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, period);
    }

    /// <summary>
    /// Probes no more (its container is gone, or the probe has settled: startup succeeded, liveness or startup
    /// failed). An attempt still running ends within its timeout and its result is dropped.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        _timer?.Dispose();
    }

    // Readiness starts failed, liveness succeeded, startup unknown (the results manager's initial values).
    private static bool? InitialResult(ProbeKind kind) => kind switch
    {
        ProbeKind.Readiness => false,
        ProbeKind.Liveness => true,
        _ => null,
    };

    private void Tick()
    {
        if (_stopped || !_mayRun(Kind) || Interlocked.Exchange(ref _busy, 1) == 1)
        {
            return;
        }

        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            var result = await _runner.RunAsync(_spec, _target, CancellationToken.None);
            if (!_stopped)
            {
                _report(this, result);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
