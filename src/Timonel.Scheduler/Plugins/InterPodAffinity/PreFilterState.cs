using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// What PreFilter counts for Filter (upstream interpodaffinity preFilterState): per topology domain, how many existing
/// pods' required anti-affinity terms the incoming pod matches, and how many existing pods match the incoming pod's
/// required affinity (all its terms) and anti-affinity terms.
/// </summary>
internal sealed class PreFilterState
{
    public required PodInfo Pod { get; init; }

    /// <summary>The incoming pod's required affinity terms, namespace selectors resolved to names.</summary>
    public required IReadOnlyList<AffinityTerm> RequiredAffinityTerms { get; init; }

    public required IReadOnlyList<AffinityTerm> RequiredAntiAffinityTerms { get; init; }

    public Dictionary<TopologyPair, long> ExistingAntiAffinityCounts { get; } = [];

    public Dictionary<TopologyPair, long> AffinityCounts { get; } = [];

    public Dictionary<TopologyPair, long> AntiAffinityCounts { get; } = [];
}
