using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// What PreFilter counts for Filter (upstream interpodaffinity preFilterState): per topology domain, how many existing
/// pods' required anti-affinity terms the incoming pod matches, and how many existing pods match the incoming pod's
/// required affinity (all its terms) and anti-affinity terms. Cloneable, so preemption's dry run and the nominated
/// pods can change a copy's counts (AddPod/RemovePod) without touching the cycle's.
/// </summary>
internal sealed class PreFilterState : ICloneable
{
    public required PodInfo Pod { get; init; }

    /// <summary>The incoming pod's required affinity terms, namespace selectors resolved to names.</summary>
    public required IReadOnlyList<AffinityTerm> RequiredAffinityTerms { get; init; }

    public required IReadOnlyList<AffinityTerm> RequiredAntiAffinityTerms { get; init; }

    /// <summary>The labels of the incoming pod's namespace, which existing pods' namespace selectors match against.</summary>
    public IDictionary<string, string>? NamespaceLabels { get; init; }

    public Dictionary<TopologyPair, long> ExistingAntiAffinityCounts { get; private init; } = [];

    public Dictionary<TopologyPair, long> AffinityCounts { get; private init; } = [];

    public Dictionary<TopologyPair, long> AntiAffinityCounts { get; private init; } = [];

    /// <summary>The terms and the pod are never changed, so only the counts are copied (upstream preFilterState.Clone).</summary>
    public object Clone() => new PreFilterState
    {
        Pod = Pod,
        RequiredAffinityTerms = RequiredAffinityTerms,
        RequiredAntiAffinityTerms = RequiredAntiAffinityTerms,
        NamespaceLabels = NamespaceLabels,
        ExistingAntiAffinityCounts = new(ExistingAntiAffinityCounts),
        AffinityCounts = new(AffinityCounts),
        AntiAffinityCounts = new(AntiAffinityCounts),
    };
}
