using k8s.Models;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Scheduler.Cache;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// What a profile's plugins are built with (upstream's framework.Handle): the API writes, the cycle's snapshot of
/// nodes and pods, the clock, and the caches of other kinds a plugin reads (claims, volumes, budgets...). A cache
/// left null is one the caller does not feed (unit tests of plugins that do not read it).
/// </summary>
public sealed class FrameworkHandle
{
    public FrameworkHandle(ISchedulerApi api, Snapshot snapshot, TimeProvider time)
    {
        Api = api;
        Snapshot = snapshot;
        Time = time;
    }

    public ISchedulerApi Api { get; }

    public Snapshot Snapshot { get; }

    public TimeProvider Time { get; }

    /// <summary>Namespaces, for pod affinity's namespaceSelector (InterPodAffinity).</summary>
    public InformerCache<V1Namespace>? Namespaces { get; init; }

    /// <summary>Services, ReplicationControllers, ReplicaSets and StatefulSets: the selectors of PodTopologySpread's default constraints.</summary>
    public InformerCache<V1Service>? Services { get; init; }

    public InformerCache<V1ReplicationController>? ReplicationControllers { get; init; }

    public InformerCache<V1ReplicaSet>? ReplicaSets { get; init; }

    public InformerCache<V1StatefulSet>? StatefulSets { get; init; }

    /// <summary>
    /// The framework built from this handle (upstream's Handle is the framework): what preemption runs the filters
    /// with. Set once the profile's framework exists.
    /// </summary>
    public Framework? Framework { get; set; }

    /// <summary>The pods nominated by preemption (upstream's PodNominator), shared by the queue and the framework.</summary>
    public PodNominator Nominator { get; init; } = new();

    /// <summary>Events a plugin records (preemption's Preempted on its victims), as the profile's scheduler.</summary>
    public IEventsV1Recorder? Events { get; init; }

    /// <summary>The PodDisruptionBudgets as the informer has them (upstream's PDB lister), read by preemption.</summary>
    public Func<IReadOnlyList<V1PodDisruptionBudget>>? PodDisruptionBudgets { get; init; }
    /// <summary>PersistentVolumeClaims, as the informer sees them (VolumeBinding, VolumeRestrictions).</summary>
    public InformerCache<V1PersistentVolumeClaim>? PersistentVolumeClaims { get; init; }

    /// <summary>PersistentVolumes, as the informer sees them (VolumeBinding).</summary>
    public InformerCache<V1PersistentVolume>? PersistentVolumes { get; init; }

    /// <summary>StorageClasses, as the informer sees them (VolumeBinding).</summary>
    public InformerCache<V1StorageClass>? StorageClasses { get; init; }
}
