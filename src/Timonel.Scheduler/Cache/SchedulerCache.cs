using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Cache;

/// <summary>
/// The nodes and the pods bound or about to be bound to them (upstream internal/cache/cache.go). A pod the scheduler
/// chose a node for is assumed on it at once, so the next cycle counts it, while binding runs; binding failed forgets
/// it; the informer seeing the pod bound confirms it; an assumed pod whose binding finished but that the informer
/// never reported expires after the TTL.
/// </summary>
internal sealed class SchedulerCache
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly Dictionary<string, LinkedListNode<NodeInfo>> _nodes = new(StringComparer.Ordinal);

    // Most recently changed first: a snapshot walks it until a node older than itself (upstream's headNode list).
    private readonly LinkedList<NodeInfo> _byRecency = new();
    private readonly Dictionary<string, PodState> _podStates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _assumedPods = new(StringComparer.Ordinal);
    private readonly List<string> _nodeOrder = [];
    private long _generation;
    private bool _nodeSetChanged;

    public SchedulerCache(TimeProvider time, TimeSpan ttl)
    {
        _time = time;
        _ttl = ttl;
    }

    public int NodeCount
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Values.Count(n => n.Value.Node is not null);
            }
        }
    }

    public int PodCount
    {
        get
        {
            lock (_lock)
            {
                return _podStates.Count;
            }
        }
    }

    public bool IsAssumedPod(V1Pod pod)
    {
        lock (_lock)
        {
            return _assumedPods.Contains(PodKey.Of(pod));
        }
    }

    /// <summary>The pod the cache holds under that key (assumed or confirmed), or null.</summary>
    public V1Pod? GetPod(V1Pod pod)
    {
        lock (_lock)
        {
            return _podStates.GetValueOrDefault(PodKey.Of(pod))?.Pod.Pod;
        }
    }

    /// <summary>Counts <paramref name="pod"/> on the node chosen for it, before it is bound.</summary>
    public void AssumePod(PodInfo pod, string nodeName)
    {
        lock (_lock)
        {
            if (!_podStates.TryAdd(pod.Key, new PodState(pod, nodeName)))
            {
                throw new InvalidOperationException($"pod {pod.Key} is in the cache, so can't be assumed");
            }

            AddToNode(pod, nodeName);
            _assumedPods.Add(pod.Key);
        }
    }

    /// <summary>Binding returned: the assumed pod may now expire if the informer never confirms it.</summary>
    public void FinishBinding(V1Pod pod)
    {
        lock (_lock)
        {
            if (_assumedPods.Contains(PodKey.Of(pod)) && _podStates.TryGetValue(PodKey.Of(pod), out var state))
            {
                state.Deadline = _time.GetUtcNow() + _ttl;
            }
        }
    }

    /// <summary>Binding failed: the assumed pod leaves its node.</summary>
    public void ForgetPod(V1Pod pod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(pod);
            if (_assumedPods.Remove(key) && _podStates.Remove(key, out var state))
            {
                RemoveFromNode(state);
            }
        }
    }

    /// <summary>The informer saw a bound pod: confirms an assumed one (on the node it really landed on) or adds it.</summary>
    public void AddPod(V1Pod pod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(pod);
            if (_podStates.TryGetValue(key, out var state))
            {
                if (!_assumedPods.Remove(key))
                {
                    return;
                }

                RemoveFromNode(state);
            }

            Store(pod);
        }
    }

    public void UpdatePod(V1Pod pod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(pod);
            if (_podStates.TryGetValue(key, out var state) && !_assumedPods.Contains(key))
            {
                RemoveFromNode(state);
                Store(pod);
            }
            else if (state is null)
            {
                Store(pod);
            }
        }
    }

    public void RemovePod(V1Pod pod)
    {
        lock (_lock)
        {
            var key = PodKey.Of(pod);
            if (_podStates.Remove(key, out var state))
            {
                _assumedPods.Remove(key);
                RemoveFromNode(state);
            }
        }
    }

    public void AddNode(V1Node node) => SetNode(node);

    public void UpdateNode(V1Node node) => SetNode(node);

    public void RemoveNode(V1Node node)
    {
        lock (_lock)
        {
            var name = node.Metadata.Name;
            if (!_nodes.TryGetValue(name, out var entry))
            {
                return;
            }

            // Pods still bound to a deleted node keep their NodeInfo (without node) until they go too.
            entry.Value.RemoveNode();
            if (entry.Value.Pods.Count == 0)
            {
                _byRecency.Remove(entry);
                _nodes.Remove(name);
                _nodeOrder.Remove(name);
            }
            else
            {
                Touch(entry);
            }

            _nodeSetChanged = true;
        }
    }

    /// <summary>Expires assumed pods whose binding finished longer than the TTL ago (upstream cleanupAssumedPods).</summary>
    public int CleanupExpiredAssumedPods()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var expired = _assumedPods.Where(key => _podStates[key].Deadline is { } deadline && now > deadline).ToList();
            foreach (var key in expired)
            {
                _assumedPods.Remove(key);
                _podStates.Remove(key, out var state);
                RemoveFromNode(state!);
            }

            return expired.Count;
        }
    }

    /// <summary>Brings <paramref name="snapshot"/> up to date, copying only the nodes changed since its generation.</summary>
    public void UpdateSnapshot(Snapshot snapshot)
    {
        lock (_lock)
        {
            var rebuildList = _nodeSetChanged;
            var affinityChanged = false;
            var imagesChanged = false;
            for (var item = _byRecency.First; item is not null && item.Value.Generation > snapshot.Generation; item = item.Next)
            {
                var info = item.Value;
                if (info.Node is null)
                {
                    continue;
                }

                if (!snapshot.NodeInfoMap.TryGetValue(info.Name, out var existing))
                {
                    snapshot.NodeInfoMap[info.Name] = existing = new NodeInfo();
                    rebuildList = true;
                }

                // The snapshot's lists of nodes with affinity pods or images change only when such a node changed.
                affinityChanged |= existing.PodsWithAffinityCount > 0 || info.PodsWithAffinityCount > 0;
                imagesChanged |= existing.HasImages || info.HasImages;
                existing.CopyFrom(info);
            }

            if (_byRecency.First is { } head)
            {
                snapshot.Generation = head.Value.Generation;
            }

            if (rebuildList)
            {
                foreach (var name in snapshot.NodeInfoMap.Keys.ToList())
                {
                    if (!_nodes.TryGetValue(name, out var entry) || entry.Value.Node is null)
                    {
                        snapshot.NodeInfoMap.Remove(name);
                    }
                }

                snapshot.NodeInfoList = [.. _nodeOrder.Select(snapshot.NodeInfoMap.GetValueOrDefault).OfType<NodeInfo>()];
                _nodeSetChanged = false;
            }

            snapshot.InvalidateDerivedLists(affinity: rebuildList || affinityChanged, images: rebuildList || imagesChanged);
        }
    }

    private void SetNode(V1Node node)
    {
        lock (_lock)
        {
            var entry = Entry(node.Metadata.Name);
            if (entry.Value.Node is null)
            {
                _nodeSetChanged = true;
            }

            entry.Value.SetNode(node);
            Touch(entry);
        }
    }

    private LinkedListNode<NodeInfo> Entry(string nodeName)
    {
        if (!_nodes.TryGetValue(nodeName, out var entry))
        {
            entry = _byRecency.AddFirst(new NodeInfo());
            _nodes[nodeName] = entry;
            _nodeOrder.Add(nodeName);
        }

        return entry;
    }

    private void Store(V1Pod pod)
    {
        var info = new PodInfo(pod);
        _podStates[info.Key] = new PodState(info, pod.Spec.NodeName);
        AddToNode(info, pod.Spec.NodeName);
    }

    private void AddToNode(PodInfo pod, string nodeName)
    {
        var entry = Entry(nodeName);
        entry.Value.AddPod(pod);
        Touch(entry);
    }

    private void RemoveFromNode(PodState state)
    {
        if (!_nodes.TryGetValue(state.NodeName, out var entry))
        {
            return;
        }

        entry.Value.RemovePod(state.Pod.Pod);
        if (entry.Value.Node is null && entry.Value.Pods.Count == 0)
        {
            _byRecency.Remove(entry);
            _nodes.Remove(state.NodeName);
            _nodeOrder.Remove(state.NodeName);
            _nodeSetChanged = true;
        }
        else
        {
            Touch(entry);
        }
    }

    private void Touch(LinkedListNode<NodeInfo> entry)
    {
        entry.Value.Generation = ++_generation;
        if (entry != _byRecency.First)
        {
            _byRecency.Remove(entry);
            _byRecency.AddFirst(entry);
        }
    }

    private sealed class PodState(PodInfo pod, string nodeName)
    {
        public PodInfo Pod { get; } = pod;

        public string NodeName { get; } = nodeName;

        public DateTimeOffset? Deadline { get; set; }
    }
}
