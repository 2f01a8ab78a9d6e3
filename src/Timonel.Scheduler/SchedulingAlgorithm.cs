using System.Buffers;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler;

/// <summary>
/// Chooses a node for one pod against a snapshot (upstream schedule_one.go schedulePod): PreFilter, then Filter on
/// nodes taken round-robin from where the last cycle stopped until enough feasible nodes are found
/// (numFeasibleNodesToFind), then PreScore, Score and the highest total, ties broken at random.
/// </summary>
internal sealed class SchedulingAlgorithm
{
    /// <summary>upstream minFeasibleNodesToFind.</summary>
    public const int MinFeasibleNodesToFind = 100;

    /// <summary>upstream minFeasibleNodesPercentageToFind.</summary>
    public const int MinFeasibleNodesPercentageToFind = 5;

    // Below this many nodes to look at, threads cost more than they save.
    private const int ParallelThreshold = 256;

    private readonly Framework.Framework _framework;
    private readonly Snapshot _snapshot;
    private readonly int _percentageOfNodesToScore;
    private readonly int _parallelism;
    private readonly Random _random;
    private readonly SchedulerMetrics _metrics;
    private int _nextStartNodeIndex;

    /// <param name="percentageOfNodesToScore">0 for upstream's adaptive default.</param>
    /// <param name="parallelism">
    /// Threads filtering and scoring nodes at once; 1 runs them in the scheduling thread. By default one per core
    /// above two cores: on two cores the API server in the same process needs the other one, and measured in-memory
    /// (bench/Timonel.Bench.Scheduler --in-memory) one thread cost 10 % less CPU per pod than two and was faster.
    /// </param>
    public SchedulingAlgorithm(Framework.Framework framework, Snapshot snapshot, int percentageOfNodesToScore = 0, int parallelism = 0, Random? random = null, SchedulerMetrics? metrics = null)
    {
        _metrics = metrics ?? new SchedulerMetrics();
        _framework = framework;
        _snapshot = snapshot;
        _percentageOfNodesToScore = percentageOfNodesToScore;
        _parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount > 2 ? Environment.ProcessorCount : 1;
        _random = random ?? Random.Shared;
    }

    /// <summary>
    /// How many feasible nodes to find before scoring (upstream numFeasibleNodesToFind): all below 100 nodes;
    /// otherwise the percentage, by default 50 % minus 1 % per 125 nodes, at least 5 %, and at least 100 nodes.
    /// </summary>
    public static int NumFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes)
    {
        if (numAllNodes < MinFeasibleNodesToFind)
        {
            return numAllNodes;
        }

        var percentage = percentageOfNodesToScore;
        if (percentage == 0)
        {
            percentage = Math.Max(50 - (numAllNodes / 125), MinFeasibleNodesPercentageToFind);
        }

        var numNodes = (int)((long)numAllNodes * percentage / 100);
        return Math.Max(numNodes, MinFeasibleNodesToFind);
    }

    /// <summary>The node for the pod; throws <see cref="FitError"/>, <see cref="NoNodesAvailableException"/> or <see cref="SchedulingException"/>.</summary>
    public ScheduleResult SchedulePod(CycleState state, PodInfo pod)
    {
        if (_snapshot.NodeInfoList.Count == 0)
        {
            throw new NoNodesAvailableException();
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (feasible, diagnosis) = FindNodesThatFitPod(state, pod);
        _metrics.FilterDone(started);
        if (feasible.Count == 0)
        {
            throw new FitError(pod, _snapshot.NodeInfoList.Count, diagnosis);
        }

        var evaluated = feasible.Count + diagnosis.NodeToStatus.Count;
        if (feasible.Count == 1)
        {
            return new ScheduleResult(feasible[0].Name, evaluated, 1);
        }

        started = System.Diagnostics.Stopwatch.GetTimestamp();
        var totals = PrioritizeNodes(state, pod, feasible);
        var host = SelectHost(feasible, totals);
        _metrics.ScoreDone(started);
        return new ScheduleResult(host, evaluated, feasible.Count);
    }

    private (List<NodeInfo> Feasible, Diagnosis Diagnosis) FindNodesThatFitPod(CycleState state, PodInfo pod)
    {
        var diagnosis = new Diagnosis();
        var allNodes = _snapshot.NodeInfoList;
        var (result, status, pluginsWithNodes) = _framework.RunPreFilterPlugins(state, pod);
        if (!status.IsSuccess)
        {
            if (!status.IsRejected)
            {
                throw new SchedulingException(status);
            }

            // Every node gets the PreFilter's status, so preemption sees it; its message replaces the per-node reasons.
            diagnosis.NodeToStatus.AbsentNodesStatus = status;
            diagnosis.PreFilterMessage = status.Message;
            diagnosis.AddPluginStatus(status);
            return ([], diagnosis);
        }

        // upstream evaluateNominatedNode: the node a preemption freed for the pod is likely the only one that fits it,
        // so it is tried alone first.
        if (pod.Pod.Status?.NominatedNodeName is { Length: > 0 } nominated && _snapshot.Get(nominated) is { } nominatedNode
            && (result is null || result.AllNodes || result.NodeNames!.Contains(nominated)))
        {
            var fits = FindNodesThatPassFilters(state, pod, diagnosis, [nominatedNode], allNodes.Count);
            if (fits.Count != 0)
            {
                return (fits, diagnosis);
            }
        }

        IReadOnlyList<NodeInfo> nodes = allNodes;
        if (result is { AllNodes: false, NodeNames: { } names })
        {
            nodes = [.. names.Select(_snapshot.Get).OfType<NodeInfo>()];
            diagnosis.NodeToStatus.AbsentNodesStatus = Status.UnschedulableAndUnresolvable(
                $"node(s) didn't satisfy plugin(s) [{string.Join(" ", pluginsWithNodes.Order(StringComparer.Ordinal))}]");
        }

        return (FindNodesThatPassFilters(state, pod, diagnosis, nodes, allNodes.Count), diagnosis);
    }

    private List<NodeInfo> FindNodesThatPassFilters(CycleState state, PodInfo pod, Diagnosis diagnosis, IReadOnlyList<NodeInfo> nodes, int allNodesCount)
    {
        var numAllNodes = nodes.Count;
        if (numAllNodes == 0)
        {
            return [];
        }

        var numNodesToFind = NumFeasibleNodesToFind(_percentageOfNodesToScore, numAllNodes);
        var start = _nextStartNodeIndex % numAllNodes;
        var feasible = new List<NodeInfo>(Math.Min(numNodesToFind, numAllNodes));
        if (!_framework.HasFilterPlugins)
        {
            for (var i = 0; i < numNodesToFind; i++)
            {
                feasible.Add(nodes[(start + i) % numAllNodes]);
            }

            return feasible;
        }

        if (_parallelism > 1 && numAllNodes >= ParallelThreshold)
        {
            FilterInParallel(state, pod, diagnosis, nodes, start, numNodesToFind, feasible);
        }
        else
        {
            for (var i = 0; i < numAllNodes && feasible.Count < numNodesToFind; i++)
            {
                var node = nodes[(start + i) % numAllNodes];
                Record(_framework.RunFilterPluginsWithNominatedPods(state, pod, node), node, feasible, diagnosis);
            }
        }

        var processed = feasible.Count + diagnosis.NodeToStatus.Count;
        _nextStartNodeIndex = (_nextStartNodeIndex + processed) % allNodesCount;
        return feasible;
    }

    // Workers take nodes in order and stop once enough feasible ones are found (upstream's parallelizer with cancel).
    private void FilterInParallel(CycleState state, PodInfo pod, Diagnosis diagnosis, IReadOnlyList<NodeInfo> nodes, int start, int numNodesToFind, List<NodeInfo> feasible)
    {
        var numAllNodes = nodes.Count;
        var statuses = ArrayPool<Status?>.Shared.Rent(numAllNodes);
        var found = ArrayPool<NodeInfo?>.Shared.Rent(numNodesToFind);
        try
        {
            Array.Clear(statuses, 0, numAllNodes);
            var feasibleCount = 0;
            var options = new ParallelOptions { MaxDegreeOfParallelism = _parallelism };
            Parallel.For(0, numAllNodes, options, (i, loop) =>
            {
                if (loop.ShouldExitCurrentIteration)
                {
                    return;
                }

                var node = nodes[(start + i) % numAllNodes];
                var status = _framework.RunFilterPluginsWithNominatedPods(state, pod, node);
                if (status.IsSuccess)
                {
                    var length = Interlocked.Increment(ref feasibleCount);
                    if (length > numNodesToFind)
                    {
                        Interlocked.Decrement(ref feasibleCount);
                        loop.Stop();
                    }
                    else
                    {
                        found[length - 1] = node;
                        if (length == numNodesToFind)
                        {
                            loop.Stop();
                        }
                    }
                }
                else
                {
                    statuses[i] = status;
                }
            });

            for (var i = 0; i < feasibleCount; i++)
            {
                feasible.Add(found[i]!);
            }

            for (var i = 0; i < numAllNodes; i++)
            {
                if (statuses[i] is { } status)
                {
                    Record(status, nodes[(start + i) % numAllNodes], feasible, diagnosis);
                }
            }
        }
        finally
        {
            ArrayPool<Status?>.Shared.Return(statuses, clearArray: true);
            ArrayPool<NodeInfo?>.Shared.Return(found, clearArray: true);
        }
    }

    private static void Record(Status status, NodeInfo node, List<NodeInfo> feasible, Diagnosis diagnosis)
    {
        if (status.IsSuccess)
        {
            feasible.Add(node);
            return;
        }

        if (!status.IsRejected)
        {
            throw new SchedulingException(status);
        }

        diagnosis.NodeToStatus.Set(node.Name, status);
        diagnosis.AddPluginStatus(status);
    }

    private long[] PrioritizeNodes(CycleState state, PodInfo pod, List<NodeInfo> nodes)
    {
        if (!_framework.HasScorePlugins)
        {
            return [.. nodes.Select(_ => 1L)];
        }

        var status = _framework.RunPreScorePlugins(state, pod, nodes);
        if (!status.IsSuccess)
        {
            throw new SchedulingException(status);
        }

        var (totals, scoreStatus) = _framework.RunScorePlugins(state, pod, nodes, _parallelism > 1 && nodes.Count >= ParallelThreshold);
        return scoreStatus.IsSuccess ? totals : throw new SchedulingException(scoreStatus);
    }

    // The highest total; among equals each has the same chance (reservoir sampling, as upstream's selectHost).
    private string SelectHost(List<NodeInfo> nodes, long[] totals)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < nodes.Count; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && _random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return nodes[best].Name;
    }
}
