namespace Timonel.Controllers;

/// <summary>
/// What a controller's sync of one key asks for next. A sync that fails throws instead, and is retried with the
/// queue's backoff; this is for a sync that succeeded but knows when to look again.
/// </summary>
public readonly record struct SyncResult
{
    /// <summary>Nothing more to do until the key is queued again by an event.</summary>
    public static SyncResult Done => default;

    /// <summary>When the key is to be synced again, null for not at all.</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>Sync the key again after <paramref name="delay"/> (work in progress elsewhere: nothing failed).</summary>
    public static SyncResult Requeue(TimeSpan delay) => new() { RequeueAfter = delay };
}
