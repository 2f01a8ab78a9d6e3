namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// One topology spread constraint as the plugin applies it (upstream podtopologyspread topologySpreadConstraint):
/// minDomains defaults to 1, nodeAffinityPolicy to Honor, nodeTaintsPolicy to Ignore.
/// </summary>
internal sealed record SpreadConstraint(
    int MaxSkew,
    string TopologyKey,
    SpreadSelector Selector,
    int MinDomains,
    bool HonorNodeAffinity,
    bool HonorNodeTaints);
