using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;


namespace Timonel.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// spec.nodeSelector and required node affinity as a filter, preferred node affinity as a score (upstream
/// plugins/nodeaffinity). PreFilter narrows the nodes to those a metadata.name field requirement names.
/// </summary>
public sealed class NodeAffinity : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin, IScoreExtensions, IEnqueueExtensions
{
    public const string PluginName = "NodeAffinity";

    /// <summary>upstream ErrReasonPod.</summary>
    public const string ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

    /// <summary>upstream errReasonConflict.</summary>
    public const string ErrReasonConflict = "pod affinity terms conflict";

    public string Name => PluginName;

    public IScoreExtensions ScoreExtensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod)
    {
        var required = pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required is null && pod.Pod.Spec?.NodeSelector is null)
        {
            return (null, Status.Skip);
        }

        if (required?.NodeSelectorTerms is not { Count: > 0 } terms)
        {
            return (null, Status.Success);
        }

        // Terms are ORed: the nodes named are the union of each term's; a term naming no node lets every node in.
        HashSet<string>? nodeNames = null;
        foreach (var term in terms)
        {
            HashSet<string>? termNames = null;
            foreach (var field in term.MatchFields ?? [])
            {
                if (field.Key == NodeSelectors.ObjectNameField && field.OperatorProperty == "In")
                {
                    var values = new HashSet<string>(field.Values ?? [], StringComparer.Ordinal);
                    termNames = termNames is null ? values : [.. termNames.Where(values.Contains)];
                }
            }

            if (termNames is null)
            {
                return (null, Status.Success);
            }

            nodeNames ??= new(StringComparer.Ordinal);
            nodeNames.UnionWith(termNames);
        }

        return nodeNames is { Count: 0 }
            ? (null, Status.UnschedulableAndUnresolvable(ErrReasonConflict))
            : (new PreFilterResult(nodeNames), Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (node.Node is not { } n)
        {
            return Status.UnschedulableAndUnresolvable(ErrReasonPod);
        }

        var required = pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        var matches = NodeSelectors.MatchesNodeSelector(pod.Pod.Spec?.NodeSelector, n)
            && (required is null || NodeSelectors.MatchesAnyTerm(required.NodeSelectorTerms, n));
        return matches ? Status.Success : Status.UnschedulableAndUnresolvable(ErrReasonPod);
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes) =>
        Preferred(pod).Count == 0 ? Status.Skip : Status.Success;

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long score = 0;
        if (node.Node is { } n)
        {
            foreach (var term in Preferred(pod))
            {
                if (term.Weight != 0 && NodeSelectors.MatchesTerm(term.Preference, n))
                {
                    score += term.Weight;
                }
            }
        }

        return (score, Status.Success);
    }

    public Status NormalizeScore(CycleState state, PodInfo pod, NodeScore[] scores) =>
        Helper.NormalizeScore.Default(IScorePlugin.MaxNodeScore, reverse: false, scores);

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
        [new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel, "Node")];

    private static IList<V1PreferredSchedulingTerm> Preferred(PodInfo pod) =>
        pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
}
