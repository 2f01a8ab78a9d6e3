using k8s.Models;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Tests.Fakes;

/// <summary>
/// Nodes with the pods bound to them, as a plugin's snapshot sees them, for plugins that read the whole cluster
/// (inter-pod affinity, topology spread, image locality); runs a plugin's extension points as the framework does.
/// </summary>
internal sealed class TestCluster
{
    public TestCluster(params V1Node[] nodes)
    {
        foreach (var node in nodes)
        {
            var info = new NodeInfo(node);
            Snapshot.NodeInfoMap[node.Metadata.Name] = info;
            Snapshot.NodeInfoList.Add(info);
        }
    }

    public Snapshot Snapshot { get; } = new();

    public NodeInfo[] Nodes => [.. Snapshot.NodeInfoList];

    /// <summary>Binds the pods to the nodes they name.</summary>
    public TestCluster With(params V1Pod[] pods)
    {
        foreach (var pod in pods)
        {
            Snapshot.NodeInfoMap[pod.Spec.NodeName].AddPod(new PodInfo(pod));
        }

        Snapshot.InvalidateDerivedLists();

        return this;
    }

    public FrameworkHandle Handle() => new(new FakeSchedulerApi(), Snapshot, TimeProvider.System);

    /// <summary>PreFilter, then Filter on every node (every node fits when PreFilter answers Skip), by node name.</summary>
    public Dictionary<string, Status> Filter<TPlugin>(TPlugin plugin, V1Pod pod)
        where TPlugin : IPreFilterPlugin, IFilterPlugin
    {
        var state = new CycleState();
        var podInfo = new PodInfo(pod);
        var (_, preFilter) = plugin.PreFilter(state, podInfo);
        return Snapshot.NodeInfoList.ToDictionary(
            n => n.Name,
            n => preFilter.IsSkip ? Status.Success : preFilter.IsSuccess ? plugin.Filter(state, podInfo, n) : preFilter);
    }

    /// <summary>The node names the pod fits on.</summary>
    public string Fits<TPlugin>(TPlugin plugin, V1Pod pod)
        where TPlugin : IPreFilterPlugin, IFilterPlugin =>
        string.Join(",", Filter(plugin, pod).Where(p => p.Value.IsSuccess).Select(p => p.Key).Order(StringComparer.Ordinal));

    /// <summary>The node names the pod fits on with a cycle state already prepared (changed by AddPod/RemovePod, say).</summary>
    public string Fits(IFilterPlugin plugin, CycleState state, PodInfo pod) =>
        string.Join(",", Snapshot.NodeInfoList.Where(n => plugin.Filter(state, pod, n).IsSuccess).Select(n => n.Name).Order(StringComparer.Ordinal));

    /// <summary>PreScore on every node, Score, NormalizeScore: the scores by node name, or null when PreScore answered Skip.</summary>
    public Dictionary<string, long>? Score(IScorePlugin plugin, V1Pod pod)
    {
        var state = new CycleState();
        var podInfo = new PodInfo(pod);
        if (plugin is IPreScorePlugin preScore)
        {
            var status = preScore.PreScore(state, podInfo, Snapshot.NodeInfoList);
            if (status.IsSkip)
            {
                return null;
            }

            Assert.True(status.IsSuccess, status.ToString());
        }

        var scores = Snapshot.NodeInfoList.Select(n => new NodeScore(n.Name, plugin.Score(state, podInfo, n).Score)).ToArray();
        plugin.ScoreExtensions?.NormalizeScore(state, podInfo, scores);
        return scores.ToDictionary(s => s.Name, s => s.Score);
    }

    public static V1Node Node(string name, string? zone = null)
    {
        var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name };
        if (zone is not null)
        {
            labels["topology.kubernetes.io/zone"] = zone;
        }

        return Make.Node(name, labels: labels);
    }

    public static V1Pod Pod(string name, string? nodeName = null, string ns = "default", params string[] labels)
    {
        var pod = Make.Pod(name, nodeName: nodeName, ns: ns);
        pod.Metadata.Labels = labels.Select(l => l.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return pod;
    }
}
