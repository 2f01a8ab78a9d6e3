using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins.Helper;

namespace Timonel.Scheduler.Plugins.TaintToleration;

/// <summary>
/// Keeps pods off nodes with NoSchedule or NoExecute taints they do not tolerate, and prefers nodes with fewer
/// PreferNoSchedule taints they do not tolerate (upstream plugins/tainttoleration).
/// </summary>
public sealed class TaintToleration : IFilterPlugin, IPreScorePlugin, IScorePlugin, IScoreExtensions, IEnqueueExtensions
{
    public const string PluginName = "TaintToleration";
    private const string PreScoreStateKey = "PreScore" + PluginName;

    public string Name => PluginName;

    public IScoreExtensions ScoreExtensions => this;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        var taint = Tolerations.FindMatchingUntoleratedTaint(
            node.Node?.Spec?.Taints, pod.Pod.Spec?.Tolerations, t => t.Effect is "NoSchedule" or "NoExecute");
        return taint is null
            ? Status.Success
            : Status.UnschedulableAndUnresolvable($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        // Only tolerations with an empty effect or PreferNoSchedule matter for scoring.
        List<V1Toleration> tolerations = [.. (pod.Pod.Spec?.Tolerations ?? []).Where(t => string.IsNullOrEmpty(t.Effect) || t.Effect == "PreferNoSchedule")];
        state.Write(PreScoreStateKey, tolerations);
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long count = 0;
        if (node.Node?.Spec?.Taints is { Count: > 0 } taints)
        {
            var tolerations = state.Read<List<V1Toleration>>(PreScoreStateKey);
            foreach (var taint in taints)
            {
                if (taint.Effect == "PreferNoSchedule" && !Tolerations.Tolerates(tolerations, taint))
                {
                    count++;
                }
            }
        }

        return (count, Status.Success);
    }

    public Status NormalizeScore(CycleState state, PodInfo pod, NodeScore[] scores) =>
        Helper.NormalizeScore.Default(IScorePlugin.MaxNodeScore, reverse: true, scores);

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
        [new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint, "Node")];
}
