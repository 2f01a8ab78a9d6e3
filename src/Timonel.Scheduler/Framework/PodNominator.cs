using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// The pods nominated to a node by preemption and not bound yet (upstream internal/queue nominator): the scheduling
/// queue keeps it from the pods' status.nominatedNodeName and the preemptions of this scheduler, and the framework
/// counts the nominated pods of higher or equal priority on their node when it filters another pod, so the room a
/// preemption freed is not taken by a pod of lower priority.
/// </summary>
public sealed class PodNominator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<PodInfo>> _nominatedPods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nominatedPodToNode = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Answers the pod as the informer has it now (null once deleted), to skip pods bound or gone meanwhile.</summary>
    public Func<V1Pod, V1Pod?>? CurrentPod { get; set; }

    /// <summary>
    /// Nominates the pod: to <paramref name="nodeName"/> when given (an empty name removes its nomination, as
    /// upstream's ModeOverride with ""), otherwise to its status.nominatedNodeName (upstream's ModeNoop).
    /// </summary>
    public void Add(PodInfo pod, string? nodeName = null)
    {
        lock (_lock)
        {
            DeleteLocked(pod.Key);
            AddLocked(pod, nodeName);
        }
    }

    /// <summary>
    /// A pod changed (upstream updateNominatedPod): an update that neither has nor had a nominatedNodeName keeps the
    /// node this scheduler nominated it to (the status write may not have been seen yet).
    /// </summary>
    public void Update(V1Pod oldPod, PodInfo newPod)
    {
        lock (_lock)
        {
            string? nodeName = null;
            if (string.IsNullOrEmpty(oldPod.Status?.NominatedNodeName) && string.IsNullOrEmpty(newPod.Pod.Status?.NominatedNodeName))
            {
                nodeName = _nominatedPodToNode.GetValueOrDefault(PodKey.Of(oldPod));
            }

            DeleteLocked(PodKey.Of(oldPod));
            DeleteLocked(newPod.Key);
            AddLocked(newPod, nodeName);
        }
    }

    public void Delete(V1Pod pod)
    {
        lock (_lock)
        {
            DeleteLocked(PodKey.Of(pod));
        }
    }

    /// <summary>The node the pod is nominated to, or null.</summary>
    public string? NominatedNodeOf(string podKey)
    {
        lock (_lock)
        {
            return _nominatedPodToNode.GetValueOrDefault(podKey);
        }
    }

    /// <summary>A copy of the pods nominated to the node (upstream NominatedPodsForNode).</summary>
    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName)
    {
        lock (_lock)
        {
            return _nominatedPods.TryGetValue(nodeName, out var pods) ? [.. pods] : [];
        }
    }

    /// <summary>Whether any pod is nominated anywhere (filtering skips the per-node look-up when none is).</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    private void AddLocked(PodInfo pod, string? nodeName)
    {
        nodeName ??= pod.Pod.Status?.NominatedNodeName;
        if (string.IsNullOrEmpty(nodeName))
        {
            return;
        }

        // upstream addNominatedPodUnlocked: a pod deleted or already bound is not nominated.
        if (CurrentPod is { } current && (current(pod.Pod) is not { } now || !string.IsNullOrEmpty(now.Spec?.NodeName)))
        {
            return;
        }

        _nominatedPodToNode[pod.Key] = nodeName;
        if (!_nominatedPods.TryGetValue(nodeName, out var pods))
        {
            _nominatedPods[nodeName] = pods = [];
        }

        pods.Add(pod);
        Volatile.Write(ref _count, _nominatedPodToNode.Count);
    }

    private void DeleteLocked(string key)
    {
        if (!_nominatedPodToNode.Remove(key, out var nodeName))
        {
            return;
        }

        var pods = _nominatedPods[nodeName];
        pods.RemoveAll(p => p.Key == key);
        if (pods.Count == 0)
        {
            _nominatedPods.Remove(nodeName);
        }

        Volatile.Write(ref _count, _nominatedPodToNode.Count);
    }
}
