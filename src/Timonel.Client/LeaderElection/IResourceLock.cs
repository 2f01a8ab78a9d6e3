namespace Timonel.Client.LeaderElection;

/// <summary>
/// The object an election is held on (client-go's resourcelock.Interface). Every write is guarded by the version last
/// read or written, so of two candidates writing on the same version exactly one succeeds.
/// </summary>
public interface IResourceLock
{
    /// <summary>This candidate's identity, written as the holder when it leads.</summary>
    string Identity { get; }

    /// <summary>namespace/name, for logs.</summary>
    string Describe { get; }

    /// <summary>The record as stored now, or null when the lock object does not exist. Throws on any other failure.</summary>
    Task<LeaderElectionRecord?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the lock object with <paramref name="record"/>; throws when it exists already or the write fails.</summary>
    Task CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="record"/> over the version last read or written; throws on a conflict (someone wrote
    /// since) or when the lock was neither read nor created before.
    /// </summary>
    Task UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The record as stored when the watch starts, then after each write to the lock object, as it happens; ends when
    /// the watch does. Never changes the version <see cref="UpdateAsync"/> writes over: only a read or a write does.
    /// </summary>
    IAsyncEnumerable<LeaderElectionRecord> WatchAsync(CancellationToken cancellationToken);

    /// <summary>Records an event about the lock object ("became leader"); failures are the lock's to log, never thrown.</summary>
    Task RecordEventAsync(string message, CancellationToken cancellationToken);
}
