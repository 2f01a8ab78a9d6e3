namespace Timonel.Storage.Sqlite;

/// <summary>Tuning knobs of <see cref="SqliteStorageBackend"/>; the defaults suit an API server.</summary>
public sealed record SqliteStorageOptions
{
    /// <summary>At most this many queued writes share one transaction (and one fsync).</summary>
    public int MaxWritesPerCommit { get; init; } = 1000;

    /// <summary>How many recent events stay in memory so a watch from a recent revision needs no table read.</summary>
    public int WatchBufferSize { get; init; } = 4096;

    /// <summary>
    /// Compaction and vacuum work in steps sized to take about this long, each in its own short transaction between
    /// write batches, so a write waits about this long (a few times it at worst) behind compaction.
    /// </summary>
    public TimeSpan CompactionStepTarget { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Rows of history read per page when a watch replays from the table.</summary>
    public int HistoryPageSize { get; init; } = 1000;
}
