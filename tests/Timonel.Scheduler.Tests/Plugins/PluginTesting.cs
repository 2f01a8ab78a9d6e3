using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Tests.Plugins;

/// <summary>Runs one filter plugin the way the framework does (PreFilter first, Skip honoured).</summary>
internal static class PluginTesting
{
    public static Status Filter(IFilterPlugin plugin, V1Pod pod, V1Node node, params V1Pod[] existing)
    {
        var state = new CycleState();
        var podInfo = new PodInfo(pod);
        if (plugin is IPreFilterPlugin preFilter)
        {
            var (_, status) = preFilter.PreFilter(state, podInfo);
            if (status.IsSkip)
            {
                return Status.Success;
            }

            if (!status.IsSuccess)
            {
                return status;
            }
        }

        return plugin.Filter(state, podInfo, NodeInfoWith(node, existing));
    }

    public static NodeInfo NodeInfoWith(V1Node node, params V1Pod[] existing)
    {
        var info = new NodeInfo(node);
        foreach (var pod in existing)
        {
            info.AddPod(new PodInfo(pod));
        }

        return info;
    }

    /// <summary>Scores each node with PreScore, Score and NormalizeScore as the framework does.</summary>
    public static long[] Score(IScorePlugin plugin, V1Pod pod, params NodeInfo[] nodes)
    {
        var state = new CycleState();
        var podInfo = new PodInfo(pod);
        if (plugin is IPreScorePlugin preScore && preScore.PreScore(state, podInfo, nodes).IsSkip)
        {
            return [];
        }

        var scores = nodes.Select(n => new NodeScore(n.Name, plugin.Score(state, podInfo, n).Score)).ToArray();
        plugin.ScoreExtensions?.NormalizeScore(state, podInfo, scores);
        return [.. scores.Select(s => s.Score)];
    }
}
