using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// Runs one attempt of a probe with the handler its spec names, within its timeoutSeconds (default 1); a probe that
/// cannot be run (a port name the container lacks, no handler, the runtime failing the exec) is an Error with the
/// reason. An Error is tried again, up to <see cref="MaxTries"/> runs in all, as the prober's runProbeWithRetries.
/// </summary>
internal sealed class ProbeRunner
{
    /// <summary>upstream's maxProbeRetries (pkg/kubelet/prober/prober.go): runs of one attempt while it errors.</summary>
    public const int MaxTries = 3;

    private readonly IReadOnlyList<IProbeHandler> _handlers;
    private readonly TimeProvider _time;

    public ProbeRunner(IReadOnlyList<IProbeHandler> handlers, TimeProvider time)
    {
        _handlers = handlers;
        _time = time;
    }

    public async Task<ProbeResult> RunAsync(V1Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        var result = await RunOnceAsync(probe, target, cancellationToken);
        for (var tries = 1; tries < MaxTries && result.Outcome == ProbeOutcome.Error; tries++)
        {
            result = await RunOnceAsync(probe, target, cancellationToken);
        }

        return result;
    }

    private async Task<ProbeResult> RunOnceAsync(V1Probe probe, ProbeTarget target, CancellationToken cancellationToken)
    {
        var handler = _handlers.FirstOrDefault(h => h.Handles(probe));
        if (handler is null)
        {
            return new ProbeResult(ProbeOutcome.Error, "missing probe handler");
        }

        var timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds is > 0 and var seconds ? seconds : 1);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            return await handler.ProbeAsync(probe, target, timeout, linked.Token);
        }
        catch (FormatException e)
        {
            return new ProbeResult(ProbeOutcome.Error, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.Error, e.Message);
        }
    }
}
