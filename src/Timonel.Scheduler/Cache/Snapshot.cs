using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Cache;

/// <summary>
/// The nodes as one scheduling cycle sees them (upstream internal/cache/snapshot.go): updated from the cache before
/// each cycle by copying only the nodes changed since (their generation is newer), so a cycle on 5,000 nodes copies
/// one or two NodeInfos, not all of them.
/// </summary>
public sealed class Snapshot
{
    internal Dictionary<string, NodeInfo> NodeInfoMap { get; } = new(StringComparer.Ordinal);

    /// <summary>The nodes in a stable order (the cache's), for the round-robin start of filtering.</summary>
    public List<NodeInfo> NodeInfoList { get; internal set; } = [];

    /// <summary>The cache generation the snapshot reflects.</summary>
    public long Generation { get; internal set; }

    public NodeInfo? Get(string nodeName) => NodeInfoMap.GetValueOrDefault(nodeName);
}
