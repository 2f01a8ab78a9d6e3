using k8s;
using k8s.Models;
using Timonel.Client.Informers;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Queue;

namespace Timonel.Scheduler;

/// <summary>
/// Claims, volumes and storage classes as cluster events (upstream's addAllEventHandlers for the kinds the volume
/// plugins registered): a change may let parked pods fit, so they go back to the queue.
/// </summary>
internal static class VolumeEventHandlers
{
    public static void Register<T>(SharedInformer<T> informer, SchedulingQueue queue, EventResource resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var added = new ClusterEvent(resource, ActionType.Add, $"{resource}Add");
        var updated = new ClusterEvent(resource, ActionType.Update, $"{resource}Update");
        informer.AddHandlers(new InformerHandlers<T>(
            OnAdd: _ => queue.MoveAllToActiveOrBackoffQueue(added),
            OnUpdate: (_, _) => queue.MoveAllToActiveOrBackoffQueue(updated)));
    }
}
