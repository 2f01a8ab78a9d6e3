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

    private List<NodeInfo>? _havePodsWithAffinity;
    private List<NodeInfo>? _havePodsWithRequiredAntiAffinity;
    private List<NodeInfo>? _haveImages;

    /// <summary>
    /// The nodes with pods with pod affinity or anti-affinity (upstream's HavePodsWithAffinityList), so plugins that
    /// need only those do not walk every node each cycle; worked out again only after such pods changed.
    /// </summary>
    public IReadOnlyList<NodeInfo> HavePodsWithAffinityList => _havePodsWithAffinity ??= [.. NodeInfoList.Where(n => n.PodsWithAffinityCount > 0)];

    /// <summary>The nodes with pods with required anti-affinity (upstream's HavePodsWithRequiredAntiAffinityList).</summary>
    public IReadOnlyList<NodeInfo> HavePodsWithRequiredAntiAffinityList =>
        _havePodsWithRequiredAntiAffinity ??= [.. NodeInfoList.Where(n => n.PodsWithRequiredAntiAffinityCount > 0)];

    /// <summary>The nodes reporting images in their status (what upstream's cache keeps image states of).</summary>
    public IReadOnlyList<NodeInfo> HaveImagesList => _haveImages ??= [.. NodeInfoList.Where(n => n.HasImages)];

    /// <summary>Forgets the derived node lists: the node set, pods with affinity or nodes' images changed.</summary>
    internal void InvalidateDerivedLists(bool affinity = true, bool images = true)
    {
        if (affinity)
        {
            _havePodsWithAffinity = null;
            _havePodsWithRequiredAntiAffinity = null;
        }

        if (images)
        {
            _haveImages = null;
        }
    }
}
