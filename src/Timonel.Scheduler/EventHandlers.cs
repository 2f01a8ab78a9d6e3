using k8s.Models;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Queue;

namespace Timonel.Scheduler;

/// <summary>
/// What the pod and node informers' events do to the cache and the queue (upstream eventhandlers.go): bound pods go
/// to the cache (confirming assumed ones), pending pods this scheduler is responsible for go to the queue, and
/// changes that could make parked pods fit move them.
/// </summary>
internal sealed class EventHandlers
{
    private readonly SchedulerCache _cache;
    private readonly SchedulingQueue _queue;
    private readonly string _schedulerName;

    public EventHandlers(SchedulerCache cache, SchedulingQueue queue, string schedulerName)
    {
        _cache = cache;
        _queue = queue;
        _schedulerName = schedulerName;
    }

    public static bool IsAssigned(V1Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>A pod naming this scheduler, or none (the API server defaults it to default-scheduler).</summary>
    public bool ResponsibleForPod(V1Pod pod) => pod.Spec?.SchedulerName is null or "" || pod.Spec.SchedulerName == _schedulerName;

    public void OnPodAdd(V1Pod pod)
    {
        if (IsTerminal(pod))
        {
            return;
        }

        if (IsAssigned(pod))
        {
            _cache.AddPod(pod);
            _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodAdd);
        }
        else if (ResponsibleForPod(pod))
        {
            _queue.Add(pod);
        }
    }

    public void OnPodUpdate(V1Pod oldPod, V1Pod newPod)
    {
        if (IsAssigned(newPod))
        {
            if (!IsAssigned(oldPod))
            {
                _queue.Delete(oldPod);
            }

            if (IsTerminal(newPod))
            {
                // A finished pod no longer holds resources on its node.
                if (_cache.GetPod(newPod) is not null)
                {
                    _cache.RemovePod(newPod);
                    _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete);
                }
            }
            else if (IsAssigned(oldPod))
            {
                _cache.UpdatePod(newPod);
                if (!SameLabels(oldPod.Metadata?.Labels, newPod.Metadata?.Labels))
                {
                    _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodUpdate);
                }
            }
            else
            {
                _cache.AddPod(newPod);
                _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodAdd);
            }

            return;
        }

        if (!ResponsibleForPod(newPod))
        {
            return;
        }

        if (IsTerminal(newPod))
        {
            _queue.Delete(newPod);
        }
        else if (!_cache.IsAssumedPod(newPod))
        {
            _queue.Update(oldPod, newPod);
        }
    }

    public void OnPodDelete(V1Pod pod)
    {
        if (IsAssigned(pod))
        {
            _cache.RemovePod(pod);
            _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.AssignedPodDelete);
        }
        else
        {
            _queue.Delete(pod);
        }
    }

    public void OnNodeAdd(V1Node node)
    {
        _cache.AddNode(node);
        _queue.MoveAllToActiveOrBackoffQueue(ClusterEvent.NodeAdd);
    }

    public void OnNodeUpdate(V1Node oldNode, V1Node newNode)
    {
        _cache.UpdateNode(newNode);
        foreach (var ev in NodeChanges.Of(oldNode, newNode))
        {
            _queue.MoveAllToActiveOrBackoffQueue(ev);
        }
    }

    public void OnNodeDelete(V1Node node) => _cache.RemoveNode(node);

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));
}
