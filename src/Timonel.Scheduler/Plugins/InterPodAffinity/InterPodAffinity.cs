using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// Required pod affinity and anti-affinity as a filter, symmetric with the existing pods' required anti-affinity, and
/// preferred terms (the incoming pod's and the existing pods') as a score (upstream plugins/interpodaffinity).
/// Counts are kept per topology domain (a node label key and value), as upstream's.
/// </summary>
public sealed class InterPodAffinity : IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IScoreExtensions, IEnqueueExtensions
{
    public const string PluginName = "InterPodAffinity";

    /// <summary>upstream ErrReasonExistingAntiAffinityRulesNotMatch.</summary>
    public const string ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

    /// <summary>upstream ErrReasonAffinityRulesNotMatch.</summary>
    public const string ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";

    /// <summary>upstream ErrReasonAntiAffinityRulesNotMatch.</summary>
    public const string ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

    /// <summary>upstream's default InterPodAffinityArgs.hardPodAffinityWeight (apis/config/v1 defaults.go).</summary>
    public const int DefaultHardPodAffinityWeight = 1;

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    // Rejections are the same for every node: shared, with the plugin already named, so rejecting many nodes allocates none.
    private static readonly Status _affinityRulesNotMatch = Status.UnschedulableAndUnresolvable(ErrReasonAffinityRulesNotMatch).WithPlugin(PluginName);
    private static readonly Status _antiAffinityRulesNotMatch = Status.Unschedulable(ErrReasonAntiAffinityRulesNotMatch).WithPlugin(PluginName);
    private static readonly Status _existingAntiAffinityRulesNotMatch = Status.Unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch).WithPlugin(PluginName);

    private readonly FrameworkHandle _handle;
    private readonly int _hardPodAffinityWeight;

    public InterPodAffinity(FrameworkHandle handle, int hardPodAffinityWeight = DefaultHardPodAffinityWeight)
    {
        _handle = handle;
        _hardPodAffinityWeight = hardPodAffinityWeight;
    }

    public string Name => PluginName;

    public IScoreExtensions ScoreExtensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod)
    {
        var nodes = _handle.Snapshot.NodeInfoList;
        var namespaceLabels = NamespaceLabels(pod.Pod);
        var s = new PreFilterState
        {
            Pod = pod,
            RequiredAffinityTerms = WithSelectedNamespaces(pod.RequiredAffinityTerms),
            RequiredAntiAffinityTerms = WithSelectedNamespaces(pod.RequiredAntiAffinityTerms),
            NamespaceLabels = namespaceLabels,
        };

        // The existing pods' required anti-affinity terms the incoming pod matches (symmetry): only nodes holding such
        // pods are read, so a pod without affinity in a cluster without anti-affinity costs one pass over the nodes.
        foreach (var node in _handle.Snapshot.HavePodsWithRequiredAntiAffinityList)
        {
            if (node.Node is not { } n)
            {
                continue;
            }

            foreach (var existing in node.Pods)
            {
                foreach (var term in existing.RequiredAntiAffinityTerms)
                {
                    if (term.Matches(pod.Pod, namespaceLabels))
                    {
                        Update(s.ExistingAntiAffinityCounts, n, term.TopologyKey, 1);
                    }
                }
            }
        }

        if (s.RequiredAffinityTerms.Count > 0 || s.RequiredAntiAffinityTerms.Count > 0)
        {
            foreach (var node in nodes)
            {
                if (node.Node is not { } n)
                {
                    continue;
                }

                foreach (var existing in node.Pods)
                {
                    if (MatchesAllTerms(s.RequiredAffinityTerms, existing.Pod))
                    {
                        foreach (var term in s.RequiredAffinityTerms)
                        {
                            Update(s.AffinityCounts, n, term.TopologyKey, 1);
                        }
                    }

                    // The incoming pod's namespace selectors are resolved into names: no namespace labels needed.
                    foreach (var term in s.RequiredAntiAffinityTerms)
                    {
                        if (term.Matches(existing.Pod, null))
                        {
                            Update(s.AntiAffinityCounts, n, term.TopologyKey, 1);
                        }
                    }
                }
            }
        }

        if (s.ExistingAntiAffinityCounts.Count == 0 && s.RequiredAffinityTerms.Count == 0 && s.RequiredAntiAffinityTerms.Count == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, s);
        return (null, Status.Success);
    }

    /// <summary>A pod added to a node (a nominated pod, a victim put back) counts in its domains (upstream AddPod).</summary>
    public Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) =>
        UpdateWithPod(state, podToAdd, node, 1);

    /// <summary>A pod removed from a node (a preemption victim) no longer counts in its domains (upstream RemovePod).</summary>
    public Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) =>
        UpdateWithPod(state, podToRemove, node, -1);

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (node.Node is not { } n)
        {
            return Status.AsStatus(new InvalidOperationException("node not found"));
        }

        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return Status.AsStatus(new InvalidOperationException($"reading \"{PreFilterStateKey}\" from cycleState: not found"));
        }

        var labels = n.Metadata?.Labels;
        if (!SatisfiesPodAffinity(s, labels))
        {
            return _affinityRulesNotMatch;
        }

        if (!SatisfiesPodAntiAffinity(s, labels))
        {
            return _antiAffinityRulesNotMatch;
        }

        if (!SatisfiesExistingPodsAntiAffinity(s, labels))
        {
            return _existingAntiAffinityRulesNotMatch;
        }

        return Status.Success;
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        if (nodes.Count == 0)
        {
            return Status.Skip;
        }

        // Unless the incoming pod has preferred terms, only existing pods with affinity can add to a score.
        var hasConstraints = pod.PreferredAffinityTerms.Count > 0 || pod.PreferredAntiAffinityTerms.Count > 0;
        var preferredAffinity = WithSelectedNamespaces(pod.PreferredAffinityTerms);
        var preferredAntiAffinity = WithSelectedNamespaces(pod.PreferredAntiAffinityTerms);
        var namespaceLabels = NamespaceLabels(pod.Pod);
        var s = new PreScoreState();
        foreach (var node in hasConstraints ? _handle.Snapshot.NodeInfoList : _handle.Snapshot.HavePodsWithAffinityList)
        {
            if (node.Node is not { } n || n.Metadata?.Labels is not { Count: > 0 })
            {
                continue;
            }

            foreach (var existing in node.Pods)
            {
                if (!hasConstraints && !existing.HasPodAffinity)
                {
                    continue;
                }

                ProcessTerms(s, preferredAffinity, existing.Pod, null, n, 1);
                ProcessTerms(s, preferredAntiAffinity, existing.Pod, null, n, -1);
                if (_hardPodAffinityWeight > 0)
                {
                    foreach (var term in existing.RequiredAffinityTerms)
                    {
                        ProcessTerm(s, term, _hardPodAffinityWeight, pod.Pod, namespaceLabels, n, 1);
                    }
                }

                ProcessTerms(s, existing.PreferredAffinityTerms, pod.Pod, namespaceLabels, n, 1);
                ProcessTerms(s, existing.PreferredAntiAffinityTerms, pod.Pod, namespaceLabels, n, -1);
            }
        }

        if (s.TopologyScore.Count == 0)
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, s);
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return (0, Status.AsStatus(new InvalidOperationException($"reading \"{PreScoreStateKey}\" from cycleState: not found")));
        }

        long score = 0;
        var labels = node.Node?.Metadata?.Labels;
        foreach (var (key, values) in s.TopologyScore)
        {
            if (labels?.TryGetValue(key, out var value) == true && values.TryGetValue(value, out var add))
            {
                score += add;
            }
        }

        return (score, Status.Success);
    }

    /// <summary>Scales scores, which may be negative, to [0, 100] between the lowest and the highest (upstream's NormalizeScore).</summary>
    public Status NormalizeScore(CycleState state, PodInfo pod, NodeScore[] scores)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { TopologyScore.Count: > 0 })
        {
            return Status.Success;
        }

        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var score in scores)
        {
            min = Math.Min(min, score.Score);
            max = Math.Max(max, score.Score);
        }

        var diff = max - min;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Score = diff > 0 ? (long)(IScorePlugin.MaxNodeScore * ((double)(scores[i].Score - min) / diff)) : 0;
        }

        return Status.Success;
    }

    /// <summary>
    /// upstream's EventsToRegister: an assigned pod added, relabelled or deleted may satisfy or stop violating a term;
    /// a node added or relabelled may bring the topology a term needs.
    /// </summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Pod, ActionType.Add | ActionType.UpdatePod | ActionType.Delete, "Pod"),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel, "Node"),
    ];

    // upstream preFilterState.updateWithPod: the counts PreFilter made, with one pod more or less on the node.
    private static Status UpdateWithPod(CycleState state, PodInfo updated, NodeInfo node, long multiplier)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return Status.AsStatus(new InvalidOperationException($"reading \"{PreFilterStateKey}\" from cycleState: not found"));
        }

        if (node.Node is not { } n)
        {
            return Status.Success;
        }

        // The updated pod's anti-affinity against the incoming pod (symmetry), matched with the incoming pod's namespace labels.
        foreach (var term in updated.RequiredAntiAffinityTerms)
        {
            if (term.Matches(s.Pod.Pod, s.NamespaceLabels))
            {
                Update(s.ExistingAntiAffinityCounts, n, term.TopologyKey, multiplier);
            }
        }

        if (MatchesAllTerms(s.RequiredAffinityTerms, updated.Pod))
        {
            foreach (var term in s.RequiredAffinityTerms)
            {
                Update(s.AffinityCounts, n, term.TopologyKey, multiplier);
            }
        }

        // The incoming pod's namespace selectors are resolved into names: no namespace labels needed.
        foreach (var term in s.RequiredAntiAffinityTerms)
        {
            if (term.Matches(updated.Pod, null))
            {
                Update(s.AntiAffinityCounts, n, term.TopologyKey, multiplier);
            }
        }

        return Status.Success;
    }

    // upstream podMatchesAllAffinityTerms: false when there are no terms.
    private static bool MatchesAllTerms(IReadOnlyList<AffinityTerm> terms, V1Pod pod)
    {
        if (terms.Count == 0)
        {
            return false;
        }

        foreach (var term in terms)
        {
            if (!term.Matches(pod, null))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SatisfiesPodAffinity(PreFilterState s, IDictionary<string, string>? labels)
    {
        var podsExist = true;
        foreach (var term in s.RequiredAffinityTerms)
        {
            if (labels?.TryGetValue(term.TopologyKey, out var value) != true)
            {
                // Every topology key of the terms must be on the node.
                return false;
            }

            if (s.AffinityCounts.GetValueOrDefault(new TopologyPair(term.TopologyKey, value!)) <= 0)
            {
                podsExist = false;
            }
        }

        // The first pod of a group with affinity to itself: when no pod anywhere matches the terms and the pod
        // matches its own terms, it may go to any node with the topology keys, or it would stay pending forever.
        return podsExist || (s.AffinityCounts.Count == 0 && MatchesAllTerms(s.RequiredAffinityTerms, s.Pod.Pod));
    }

    private static bool SatisfiesPodAntiAffinity(PreFilterState s, IDictionary<string, string>? labels)
    {
        if (s.AntiAffinityCounts.Count == 0)
        {
            return true;
        }

        foreach (var term in s.RequiredAntiAffinityTerms)
        {
            if (labels?.TryGetValue(term.TopologyKey, out var value) == true
                && s.AntiAffinityCounts.GetValueOrDefault(new TopologyPair(term.TopologyKey, value)) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SatisfiesExistingPodsAntiAffinity(PreFilterState s, IDictionary<string, string>? labels)
    {
        if (s.ExistingAntiAffinityCounts.Count == 0 || labels is null)
        {
            return true;
        }

        foreach (var (key, value) in labels)
        {
            if (s.ExistingAntiAffinityCounts.GetValueOrDefault(new TopologyPair(key, value)) > 0)
            {
                return false;
            }
        }

        return true;
    }

    // upstream topologyToMatchedTermCount.update: a node without the key counts in no domain.
    private static void Update(Dictionary<TopologyPair, long> counts, V1Node node, string topologyKey, long value)
    {
        if (node.Metadata?.Labels?.TryGetValue(topologyKey, out var topologyValue) != true)
        {
            return;
        }

        var pair = new TopologyPair(topologyKey, topologyValue!);
        var count = counts.GetValueOrDefault(pair) + value;
        if (count == 0)
        {
            counts.Remove(pair);
        }
        else
        {
            counts[pair] = count;
        }
    }

    private static void ProcessTerms(PreScoreState s, IReadOnlyList<WeightedAffinityTerm> terms, V1Pod pod, IDictionary<string, string>? namespaceLabels, V1Node node, int multiplier)
    {
        foreach (var term in terms)
        {
            ProcessTerm(s, term.Term, term.Weight, pod, namespaceLabels, node, multiplier);
        }
    }

    private static void ProcessTerm(PreScoreState s, AffinityTerm term, int weight, V1Pod pod, IDictionary<string, string>? namespaceLabels, V1Node node, int multiplier)
    {
        if (term.Matches(pod, namespaceLabels) && node.Metadata?.Labels?.TryGetValue(term.TopologyKey, out var value) == true)
        {
            if (!s.TopologyScore.TryGetValue(term.TopologyKey, out var values))
            {
                s.TopologyScore[term.TopologyKey] = values = new(StringComparer.Ordinal);
            }

            values[value] = values.GetValueOrDefault(value) + ((long)weight * multiplier);
        }
    }

    private IDictionary<string, string>? NamespaceLabels(V1Pod pod) =>
        _handle.Namespaces?.Get(null, pod.Metadata?.NamespaceProperty ?? "")?.Metadata?.Labels;

    private IReadOnlyList<AffinityTerm> WithSelectedNamespaces(IReadOnlyList<AffinityTerm> terms) =>
        terms.Any(t => t.HasNonEmptyNamespaceSelector)
            ? [.. terms.Select(t => t.WithSelectedNamespaces(_handle.Namespaces?.List() ?? []))]
            : terms;

    private IReadOnlyList<WeightedAffinityTerm> WithSelectedNamespaces(IReadOnlyList<WeightedAffinityTerm> terms) =>
        terms.Any(t => t.Term.HasNonEmptyNamespaceSelector)
            ? [.. terms.Select(t => t with { Term = t.Term.WithSelectedNamespaces(_handle.Namespaces?.List() ?? []) })]
            : terms;
}
