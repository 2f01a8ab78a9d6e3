using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Controllers.ReplicaSet;

namespace Timonel.Controllers;

/// <summary>
/// The pod handlers of controllers that own pods and count them with <see cref="PodExpectations"/> (upstream's
/// addPod, updatePod and deletePod of the ReplicaSet and DaemonSet controllers): a pod's controller is queued and
/// its expectation lowered; an orphan queues every controller whose selector matches it (one may adopt it); a pod
/// whose graceful deletion began counts as deleted.
/// </summary>
/// <param name="ownerKey">The key of the pod's controller when it is one of ours (kind, group, name and UID), or null.</param>
/// <param name="enqueueMatching">Queues the controllers of the pod's namespace whose selector matches its labels.</param>
internal sealed class OwnedPodHandlers(PodExpectations expectations, Func<V1Pod, string?> ownerKey, Action<V1Pod> enqueueMatching, Action<string> enqueue)
{
    public InformerHandlers<V1Pod> Handlers => new(OnAdd: Added, OnUpdate: Updated, OnDelete: Deleted);

    private void Added(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            Deleted(pod);
            return;
        }

        if (ownerKey(pod) is { } key)
        {
            expectations.CreationObserved(key);
            enqueue(key);
            return;
        }

        enqueueMatching(pod);
    }

    private void Updated(V1Pod old, V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null && old.Metadata.DeletionTimestamp is null)
        {
            // A graceful deletion has begun: as far as counting goes, the pod is gone (upstream does the same).
            Deleted(pod);
            return;
        }

        var oldOwner = ownerKey(old);
        var owner = ownerKey(pod);
        if (oldOwner is not null && oldOwner != owner)
        {
            enqueue(oldOwner);
        }

        if (owner is not null)
        {
            enqueue(owner);
        }
        else
        {
            enqueueMatching(pod);
        }
    }

    private void Deleted(V1Pod pod)
    {
        if (ownerKey(pod) is { } key)
        {
            expectations.DeletionObserved(key);
            enqueue(key);
        }
    }
}
