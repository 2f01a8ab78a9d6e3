using k8s.Models;
using Timonel.Controllers.Deployment;

namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// One step of a DaemonSet's RollingUpdate (upstream's rollingUpdate, pkg/controller/daemon/update.go), computed from
/// the pods per node: which old pods to delete and on which nodes to create new ones. Without surge, old pods are
/// deleted while no more than maxUnavailable nodes lack an available pod, and the manage loop creates their
/// replacements; with surge, new pods start beside old ones (at most maxSurge at a time, or at once where the old
/// pod is unavailable) and an old pod goes once its node's new pod is available.
/// </summary>
internal static class RollingUpdate
{
    public static (List<string> PodsToDelete, List<string> NodesToCreate) Plan(
        V1DaemonSet ds,
        IReadOnlyList<V1Node> nodes,
        Dictionary<string, List<V1Pod>> nodeToDaemonPods,
        string hash,
        DateTime now)
    {
        var (maxSurge, maxUnavailable, desired) = DesiredNodeCounts(ds, nodes, nodeToDaemonPods);
        var generation = DaemonPods.TemplateGeneration(ds);
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        bool Available(V1Pod pod) => DaemonPods.IsAvailable(pod, minReady, now);
        return maxSurge == 0
            ? (WithoutSurge(nodeToDaemonPods, hash, generation, maxUnavailable, Available), [])
            : WithSurge(ds, nodes, nodeToDaemonPods, hash, generation, maxSurge, desired, Available);
    }

    /// <summary>
    /// updatedDesiredNodeCounts: maxSurge and maxUnavailable resolved against the nodes that should run the daemon
    /// (percentages rounded up), every such node given an entry even without pods, and maxUnavailable 1 when both
    /// came out 0.
    /// </summary>
    public static (int MaxSurge, int MaxUnavailable, int Desired) DesiredNodeCounts(V1DaemonSet ds, IReadOnlyList<V1Node> nodes, Dictionary<string, List<V1Pod>> nodeToDaemonPods)
    {
        var desired = 0;
        foreach (var node in nodes)
        {
            if (!DaemonPods.ShouldRun(node, ds).ShouldRun)
            {
                continue;
            }

            desired++;
            nodeToDaemonPods.TryAdd(node.Metadata.Name, []);
        }

        var rolling = ds.Spec.UpdateStrategy?.Type is null or "RollingUpdate";
        var maxUnavailable = rolling ? DeploymentUtil.ScaledValue(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable, desired, roundUp: true) : 0;
        var maxSurge = rolling ? DeploymentUtil.ScaledValue(ds.Spec.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, roundUp: true) : 0;
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0)
        {
            maxUnavailable = 1;
        }

        return (maxSurge, maxUnavailable, desired);
    }

    /// <summary>findUpdatedPodsOnNode: the node's live new and old pod; not ok when it has two of either.</summary>
    private static (V1Pod? New, V1Pod? Old, bool Ok) UpdatedPodsOnNode(List<V1Pod> pods, string hash, long? generation)
    {
        V1Pod? newPod = null, oldPod = null;
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            if (DaemonPods.IsUpdated(pod, hash, generation))
            {
                if (newPod is not null)
                {
                    return (null, null, false);
                }

                newPod = pod;
            }
            else
            {
                if (oldPod is not null)
                {
                    return (null, null, false);
                }

                oldPod = pod;
            }
        }

        return (newPod, oldPod, true);
    }

    private static List<string> WithoutSurge(Dictionary<string, List<V1Pod>> nodeToDaemonPods, string hash, long? generation, int maxUnavailable, Func<V1Pod, bool> available)
    {
        var numUnavailable = 0;
        var replacements = new List<string>();
        var candidates = new List<string>();
        foreach (var pods in nodeToDaemonPods.Values)
        {
            var (newPod, oldPod, ok) = UpdatedPodsOnNode(pods, hash, generation);
            if (!ok || (newPod is null) == (oldPod is null))
            {
                // Two of a kind, none, or both: the manage loop creates or deletes there; it counts as unavailable.
                numUnavailable++;
            }
            else if (newPod is not null)
            {
                if (!available(newPod))
                {
                    numUnavailable++;
                }
            }
            else if (!available(oldPod!))
            {
                // An old pod that is not available anyway is replaced at once.
                replacements.Add(oldPod!.Metadata.Name);
            }
            else if (numUnavailable < maxUnavailable)
            {
                candidates.Add(oldPod!.Metadata.Name);
            }
        }

        var remaining = Math.Clamp(maxUnavailable - numUnavailable, 0, candidates.Count);
        return [.. replacements, .. candidates.Take(remaining)];
    }

    private static (List<string>, List<string>) WithSurge(
        V1DaemonSet ds,
        IReadOnlyList<V1Node> nodes,
        Dictionary<string, List<V1Pod>> nodeToDaemonPods,
        string hash,
        long? generation,
        int maxSurge,
        int desired,
        Func<V1Pod, bool> available)
    {
        var byName = nodes.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        bool NodeShouldRun(string name) => byName.TryGetValue(name, out var node) && DaemonPods.ShouldRun(node, ds).ShouldRun;
        var oldPodsToDelete = new List<string>();
        var shouldNotRunPodsToDelete = new List<string>();
        var allowedNewNodes = new List<string>();
        var candidateNewNodes = new List<string>();
        var numSurge = 0;
        var numAvailable = 0;
        foreach (var (nodeName, pods) in nodeToDaemonPods)
        {
            var (newPod, oldPod, ok) = UpdatedPodsOnNode(pods, hash, generation);
            if (!ok)
            {
                // The manage loop cleans this node up; it counts as surging meanwhile.
                numSurge++;
                continue;
            }

            if ((oldPod ?? newPod) is { } counted && available(counted))
            {
                numAvailable++;
            }

            if (oldPod is null)
            {
                continue;
            }

            if (newPod is null)
            {
                if (!available(oldPod))
                {
                    if (!NodeShouldRun(nodeName))
                    {
                        oldPodsToDelete.Add(oldPod.Metadata.Name);
                        continue;
                    }

                    allowedNewNodes.Add(nodeName);
                }
                else if (!NodeShouldRun(nodeName))
                {
                    shouldNotRunPodsToDelete.Add(oldPod.Metadata.Name);
                }
                else if (numSurge < maxSurge)
                {
                    candidateNewNodes.Add(nodeName);
                }

                continue;
            }

            if (!available(newPod))
            {
                // Waiting for the new pod to become available.
                numSurge++;
                continue;
            }

            oldPodsToDelete.Add(oldPod.Metadata.Name);
        }

        // With surge the owner expects full availability: pods on nodes that should no longer run the daemon go only
        // as far as the pods available elsewhere exceed the nodes that should run it.
        var deletable = Math.Min(numAvailable - desired, shouldNotRunPodsToDelete.Count);
        if (deletable > 0)
        {
            oldPodsToDelete.AddRange(shouldNotRunPodsToDelete.Take(deletable));
        }

        var remainingSurge = Math.Clamp(maxSurge - numSurge, 0, candidateNewNodes.Count);
        return (oldPodsToDelete, [.. allowedNewNodes, .. candidateNewNodes.Take(remainingSurge)]);
    }
}
