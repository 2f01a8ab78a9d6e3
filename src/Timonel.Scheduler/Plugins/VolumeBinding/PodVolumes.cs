using k8s.Models;

namespace Timonel.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// What binding the pod's unbound WaitForFirstConsumer claims on one node takes (upstream PodVolumes): volumes to
/// pre-bind to claims, and claims to hand to their provisioner with the node selected.
/// </summary>
internal sealed record PodVolumes(IReadOnlyList<(V1PersistentVolumeClaim Claim, V1PersistentVolume Volume)> StaticBindings, IReadOnlyList<V1PersistentVolumeClaim> DynamicProvisions)
{
    public bool Empty => StaticBindings.Count == 0 && DynamicProvisions.Count == 0;
}
