namespace Timonel.IntegrationTests;

/// <summary>How one tracked ConfigMap looked after a restart, against what the server acknowledged before the crash.</summary>
internal enum CrashVerdict
{
    /// <summary>Exactly the acknowledged state (or still absent, when nothing was acknowledged).</summary>
    Kept,

    /// <summary>The request in flight at the crash took effect; its answer was lost, so either outcome is allowed.</summary>
    InFlightApplied,

    /// <summary>An acknowledged create or update is missing or older than acknowledged.</summary>
    Lost,

    /// <summary>An acknowledged delete came back.</summary>
    Resurrected,

    /// <summary>The acknowledged content with a lower resourceVersion than acknowledged.</summary>
    Regressed,

    /// <summary>Content no request of the workload wrote (a phantom, a foreign value, a changed resourceVersion).</summary>
    Corrupted,
}
