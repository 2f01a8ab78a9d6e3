namespace Timonel.Client.LeaderElection;

/// <summary>
/// What a lock holds (client-go's resourcelock.LeaderElectionRecord): who leads, for how long a silent holder keeps
/// the lock, when it took and last renewed it, and how often the holder changed.
/// </summary>
public sealed record LeaderElectionRecord(
    string HolderIdentity,
    int LeaseDurationSeconds,
    DateTimeOffset AcquireTime,
    DateTimeOffset RenewTime,
    int LeaderTransitions);
