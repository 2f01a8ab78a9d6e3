namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// A probe's result as its thresholds let it through (the prober worker's resultRun): a change counts only once
/// successThreshold successes or failureThreshold failures come in a row.
/// </summary>
internal sealed class ProbeThresholds
{
    private readonly int _successThreshold;
    private readonly int _failureThreshold;
    private bool? _last;
    private int _run;

    public ProbeThresholds(int? successThreshold, int? failureThreshold, bool? initial)
    {
        _successThreshold = successThreshold is > 0 and var s ? s : 1;
        _failureThreshold = failureThreshold is > 0 and var f ? f : 3;
        Current = initial;
    }

    /// <summary>The result that counts: null until the first one (the startup probe's unknown).</summary>
    public bool? Current { get; private set; }

    /// <summary>Takes one attempt's success or failure; answers whether <see cref="Current"/> changed.</summary>
    public bool Observe(bool success)
    {
        _run = _last == success ? _run + 1 : 1;
        _last = success;
        if (_run < (success ? _successThreshold : _failureThreshold) || Current == success)
        {
            return false;
        }

        Current = success;
        return true;
    }
}
