namespace Timonel.Storage;

/// <summary>When and how far <see cref="AutoCompactor"/> compacts.</summary>
public sealed record AutoCompactorOptions
{
    /// <summary>Time between compactions; 5 minutes as kine's --compact-interval and kube-apiserver's --etcd-compaction-interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Time from start to the first compaction. Short, so a server that restarts more often than every
    /// <see cref="Interval"/> still compacts, and history left by the previous run goes soon after start; not at
    /// once, so it stays out of start → ready.
    /// </summary>
    public TimeSpan FirstAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Revisions kept behind the current one; 1000 as kine's --compact-min-retain (kine pkg/app/app.go).</summary>
    public long MinRetain { get; init; } = 1000;
}
