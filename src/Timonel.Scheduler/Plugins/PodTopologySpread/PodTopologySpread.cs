using System.Runtime.InteropServices;
using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Spreads pods across topology domains (upstream plugins/podtopologyspread): DoNotSchedule constraints filter
/// (matching pods in the domain + the pod itself − the global minimum ≤ maxSkew), ScheduleAnyway constraints score.
/// A pod without constraints, owned by a Service, ReplicationController, ReplicaSet or StatefulSet, is spread by the
/// system defaults (zone maxSkew 5, hostname maxSkew 3, ScheduleAnyway), so it is only scored.
/// </summary>
public sealed class PodTopologySpread : IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IScoreExtensions, IEnqueueExtensions
{
    public const string PluginName = "PodTopologySpread";

    /// <summary>upstream ErrReasonConstraintsNotMatch.</summary>
    public const string ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";

    /// <summary>upstream ErrReasonNodeLabelNotMatch.</summary>
    public const string ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + " (missing required label)";

    public const string LabelHostname = "kubernetes.io/hostname";

    public const string LabelTopologyZone = "topology.kubernetes.io/zone";

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    /// <summary>upstream systemDefaultConstraints (podtopologyspread/plugin.go), used with the default "System" defaulting.</summary>
    private static readonly V1TopologySpreadConstraint[] _systemDefaultConstraints =
    [
        new() { TopologyKey = LabelTopologyZone, WhenUnsatisfiable = "ScheduleAnyway", MaxSkew = 5 },
        new() { TopologyKey = LabelHostname, WhenUnsatisfiable = "ScheduleAnyway", MaxSkew = 3 },
    ];

    // Rejections are the same for every node: shared, with the plugin already named, so a cycle rejecting thousands of
    // nodes allocates none.
    private static readonly Status _constraintsNotMatch = Status.Unschedulable(ErrReasonConstraintsNotMatch).WithPlugin(PluginName);
    private static readonly Status _nodeLabelNotMatch = Status.UnschedulableAndUnresolvable(ErrReasonNodeLabelNotMatch).WithPlugin(PluginName);

    private readonly FrameworkHandle _handle;

    public PodTopologySpread(FrameworkHandle handle) => _handle = handle;

    public string Name => PluginName;

    public IScoreExtensions ScoreExtensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod)
    {
        var constraints = Constraints(pod.Pod, "DoNotSchedule");
        if (constraints.Count == 0)
        {
            return (null, Status.Skip);
        }

        var s = new PreFilterState(constraints, pod.Pod.Metadata?.Labels);
        var ns = pod.Pod.Metadata?.NamespaceProperty ?? "";
        var values = new string[constraints.Count];

        // The hot loop of a spread pod's cycle (every node, every pod): one label lookup per constraint and node, one
        // hash per domain update, node affinity evaluated only when the pod has some.
        var hasNodeAffinity = pod.Pod.Spec?.NodeSelector is not null || pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not null;
        foreach (var node in _handle.Snapshot.NodeInfoList)
        {
            if (node.Node?.Metadata?.Labels is not { } labels || !TopologyValues(labels, constraints, values))
            {
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                var c = constraints[i];
                if ((hasNodeAffinity || c.HonorNodeTaints) && !MatchesInclusionPolicies(c, pod.Pod, node.Node))
                {
                    continue;
                }

                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(s.MatchNum[i], values[i], out _);
                count += CountMatching(node.Pods, c.Selector, ns);
            }
        }

        for (var i = 0; i < constraints.Count; i++)
        {
            s.DomainsNum[i] = s.MatchNum[i].Count;
            foreach (var (value, count) in s.MatchNum[i])
            {
                s.CriticalPaths[i].Update(value, count);
            }
        }

        state.Write(PreFilterStateKey, s);
        return (null, Status.Success);
    }

    /// <summary>A pod added to a node (a nominated pod, a victim put back) counts in its domains (upstream AddPod).</summary>
    public Status AddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) =>
        UpdateWithPod(state, podToSchedule.Pod, podToAdd.Pod, node, 1);

    /// <summary>A pod removed from a node (a preemption victim) no longer counts in its domains (upstream RemovePod).</summary>
    public Status RemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) =>
        UpdateWithPod(state, podToSchedule.Pod, podToRemove.Pod, node, -1);

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
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (labels?.TryGetValue(c.TopologyKey, out var value) != true)
            {
                return _nodeLabelNotMatch;
            }

            // 'existing matching num' + 'if self-match (1 or 0)' - 'global minimum' <= 'maxSkew' (upstream's criterion).
            var skew = s.MatchNum[i].GetValueOrDefault(value!) + s.SelfMatch[i] - s.MinMatchNum(i);
            if (skew > c.MaxSkew)
            {
                return _constraintsNotMatch;
            }
        }

        return Status.Success;
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var allNodes = _handle.Snapshot.NodeInfoList;
        if (nodes.Count == 0 || allNodes.Count == 0)
        {
            return Status.Skip;
        }

        var constraints = Constraints(pod.Pod, "ScheduleAnyway");
        if (constraints.Count == 0)
        {
            return Status.Skip;
        }

        // Only the pod's own constraints need every topology key on a node: with the system defaults, nodes without
        // a zone label are still spread by hostname.
        var requireAllTopologies = pod.Pod.Spec?.TopologySpreadConstraints is { Count: > 0 };
        var s = new PreScoreState(constraints);
        var domains = new int[constraints.Count];
        foreach (var node in nodes)
        {
            var labels = node.Node?.Metadata?.Labels;
            if (requireAllTopologies && !HasAllTopologyKeys(labels, constraints))
            {
                s.IgnoredNodes.Add(node.Name);
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                // Hostname domains are counted per node in Score.
                if (constraints[i].TopologyKey == LabelHostname)
                {
                    continue;
                }

                var pair = new TopologyPair(constraints[i].TopologyKey, LabelValue(labels, constraints[i].TopologyKey));
                if (s.PodCounts.TryAdd(pair, 0))
                {
                    domains[i]++;
                }
            }
        }

        for (var i = 0; i < constraints.Count; i++)
        {
            var size = constraints[i].TopologyKey == LabelHostname ? nodes.Count - s.IgnoredNodes.Count : domains[i];
            s.NormalizingWeight[i] = Math.Log(size + 2);
        }

        var ns = pod.Pod.Metadata?.NamespaceProperty ?? "";
        foreach (var node in allNodes)
        {
            if (node.Node is not { } n || (requireAllTopologies && !HasAllTopologyKeys(n.Metadata?.Labels, constraints)))
            {
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                var c = constraints[i];
                if (!MatchesInclusionPolicies(c, pod.Pod, n))
                {
                    continue;
                }

                // Only domains of candidate nodes are counted.
                var pair = new TopologyPair(c.TopologyKey, LabelValue(n.Metadata?.Labels, c.TopologyKey));
                if (s.PodCounts.TryGetValue(pair, out var count))
                {
                    s.PodCounts[pair] = count + CountMatching(node.Pods, c.Selector, ns);
                }
            }
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

        if (s.IgnoredNodes.Contains(node.Name))
        {
            return (0, Status.Success);
        }

        var labels = node.Node?.Metadata?.Labels;
        var ns = pod.Pod.Metadata?.NamespaceProperty ?? "";
        double score = 0;
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (labels?.TryGetValue(c.TopologyKey, out var value) != true)
            {
                continue;
            }

            long count = c.TopologyKey == LabelHostname
                ? CountMatching(node.Pods, c.Selector, ns)
                : s.PodCounts.GetValueOrDefault(new TopologyPair(c.TopologyKey, value!));

            // upstream scoreForCount: maxSkew - 1 waters down the differences between domains.
            score += (count * s.NormalizingWeight[i]) + (c.MaxSkew - 1);
        }

        return ((long)Math.Round(score, MidpointRounding.AwayFromZero), Status.Success);
    }

    /// <summary>Fewer matching pods score higher: max · (max + min − score) / max; ignored nodes score 0 (upstream's NormalizeScore).</summary>
    public Status NormalizeScore(CycleState state, PodInfo pod, NodeScore[] scores)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return Status.Success;
        }

        var min = long.MaxValue;
        long max = 0;
        foreach (var score in scores)
        {
            if (s.IgnoredNodes.Contains(score.Name))
            {
                continue;
            }

            min = Math.Min(min, score.Score);
            max = Math.Max(max, score.Score);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (s.IgnoredNodes.Contains(scores[i].Name))
            {
                scores[i].Score = 0;
            }
            else if (max == 0)
            {
                scores[i].Score = IScorePlugin.MaxNodeScore;
            }
            else
            {
                scores[i].Score = IScorePlugin.MaxNodeScore * (max + min - scores[i].Score) / max;
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// upstream's EventsToRegister: pods added, relabelled or deleted change the counts; nodes added, deleted,
    /// relabelled or retainted change the domains.
    /// </summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Pod, ActionType.Add | ActionType.UpdatePod | ActionType.Delete, "Pod"),
        new(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint, "Node"),
    ];

    /// <summary>
    /// The pod's constraints with this action (upstream filterTopologySpreadConstraints), matchLabelKeys merged into
    /// their selectors; or, when the pod has none, the system defaults with the selector of its Services and owner.
    /// </summary>
    private List<SpreadConstraint> Constraints(V1Pod pod, string action)
    {
        if (pod.Spec?.TopologySpreadConstraints is { Count: > 0 } own)
        {
            return Filter(own, pod.Metadata?.Labels, action);
        }

        var defaults = Filter(_systemDefaultConstraints, pod.Metadata?.Labels, action);
        if (defaults.Count == 0)
        {
            return defaults;
        }

        var selector = DefaultSelector.For(pod, _handle);
        return selector.IsEmpty ? [] : [.. defaults.Select(c => c with { Selector = selector })];
    }

    private static List<SpreadConstraint> Filter(IEnumerable<V1TopologySpreadConstraint> constraints, IDictionary<string, string>? podLabels, string action)
    {
        var result = new List<SpreadConstraint>();
        foreach (var c in constraints)
        {
            if (c.WhenUnsatisfiable != action)
            {
                continue;
            }

            var selector = SpreadSelector.From(c.LabelSelector);
            if (c.MatchLabelKeys is { Count: > 0 } keys)
            {
                var matchLabels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    if (podLabels?.TryGetValue(key, out var value) == true)
                    {
                        matchLabels[key] = value;
                    }
                }

                selector = selector.And(matchLabels);
            }

            result.Add(new SpreadConstraint(
                c.MaxSkew,
                c.TopologyKey,
                selector,
                c.MinDomains ?? 1,
                HonorNodeAffinity: c.NodeAffinityPolicy is null or "Honor",
                HonorNodeTaints: c.NodeTaintsPolicy == "Honor"));
        }

        return result;
    }

    private static string LabelValue(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : "";

    /// <summary>Each constraint's topology value on the node into <paramref name="values"/>; false when one is missing.</summary>
    private static bool TopologyValues(IDictionary<string, string> labels, IReadOnlyList<SpreadConstraint> constraints, string[] values)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            if (!labels.TryGetValue(constraints[i].TopologyKey, out var value))
            {
                return false;
            }

            values[i] = value;
        }

        return true;
    }

    // upstream updateWithPod: the pod counts in the node's domain of each constraint whose selector it matches, when it
    // is in the incoming pod's namespace and the node has every topology key and passes the inclusion policies.
    private static Status UpdateWithPod(CycleState state, V1Pod preemptor, V1Pod updated, NodeInfo node, int delta)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return Status.AsStatus(new InvalidOperationException($"reading \"{PreFilterStateKey}\" from cycleState: not found"));
        }

        if (node.Node?.Metadata?.Labels is not { } labels
            || updated.Metadata?.NamespaceProperty != preemptor.Metadata?.NamespaceProperty
            || !HasAllTopologyKeys(labels, s.Constraints))
        {
            return Status.Success;
        }

        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];

            // An empty selector counted no pod in PreFilter (as upstream's countPodsMatchSelector), so it counts none here either.
            if (c.Selector.IsEmpty || !c.Selector.Matches(updated.Metadata?.Labels) || !MatchesInclusionPolicies(c, preemptor, node.Node))
            {
                continue;
            }

            var value = labels[c.TopologyKey];
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(s.MatchNum[i], value, out _);
            count += delta;
            s.CriticalPaths[i].Update(value, count);
        }

        return Status.Success;
    }

    private static bool HasAllTopologyKeys(IDictionary<string, string>? labels, IReadOnlyList<SpreadConstraint> constraints)
    {
        foreach (var c in constraints)
        {
            if (labels?.ContainsKey(c.TopologyKey) != true)
            {
                return false;
            }
        }

        return true;
    }

    // upstream matchNodeInclusionPolicies: nodeAffinityPolicy Honor counts only nodes the pod's node selector and
    // required node affinity admit; nodeTaintsPolicy Honor only nodes whose NoSchedule/NoExecute taints it tolerates.
    private static bool MatchesInclusionPolicies(SpreadConstraint c, V1Pod pod, V1Node node)
    {
        if (c.HonorNodeAffinity
            && (!NodeSelectors.MatchesNodeSelector(pod.Spec?.NodeSelector, node)
                || (pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required
                    && !NodeSelectors.MatchesAnyTerm(required.NodeSelectorTerms, node))))
        {
            return false;
        }

        return !c.HonorNodeTaints
            || Tolerations.FindMatchingUntoleratedTaint(node.Spec?.Taints, pod.Spec?.Tolerations, t => t.Effect is "NoSchedule" or "NoExecute") is null;
    }

    // upstream countPodsMatchSelector: terminating pods and pods of other namespaces do not count; an empty selector counts none.
    private static int CountMatching(IReadOnlyList<PodInfo> pods, SpreadSelector selector, string ns)
    {
        if (selector.IsEmpty)
        {
            return 0;
        }

        var count = 0;
        foreach (var p in pods)
        {
            if (p.Pod.Metadata?.DeletionTimestamp is null && p.Pod.Metadata?.NamespaceProperty == ns && selector.Matches(p.Pod.Metadata.Labels))
            {
                count++;
            }
        }

        return count;
    }
}
