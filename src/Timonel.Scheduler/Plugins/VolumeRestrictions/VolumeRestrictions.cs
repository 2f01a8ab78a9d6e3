using System.Runtime.CompilerServices;
using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.VolumeRestrictions;

/// <summary>
/// Volumes only one pod may use (upstream plugins/volumerestrictions): a claim with the ReadWriteOncePod access
/// mode that another pod already uses keeps the pod off every node; an inline GCE PD, AWS EBS, iSCSI or RBD disk
/// already mounted read-write by a pod on a node keeps the pod off that node.
/// </summary>
public sealed class VolumeRestrictions : IPreFilterPlugin, IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "VolumeRestrictions";

    // volume_restrictions.go's reasons.
    public const string ErrReasonDiskConflict = "node(s) had no available disk";
    public const string ErrReasonReadWriteOncePodConflict = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

    private const string StateKey = "PreFilter" + PluginName;

    private readonly FrameworkHandle _handle;

    public VolumeRestrictions(FrameworkHandle handle) => _handle = handle;

    public string Name => PluginName;

    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        ClusterEvent.AssignedPodDelete,
        new(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update, "PvcChange"),
        ClusterEvent.NodeAdd,
    ];

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod)
    {
        var volumes = pod.Pod.Spec?.Volumes ?? [];
        var needsCheck = volumes.Any(v => v.GcePersistentDisk is not null || v.AwsElasticBlockStore is not null || v.Rbd is not null || v.Iscsi is not null);

        // readWriteOncePodPVCsForPod: the pod's claims with ReadWriteOncePod; a missing claim is upstream's NotFound.
        var ns = pod.Pod.Metadata.NamespaceProperty;
        var readWriteOncePod = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in volumes.Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>())
        {
            if (_handle.PersistentVolumeClaims?.Get(ns, name) is not { } claim)
            {
                return (null, Status.UnschedulableAndUnresolvable($"persistentvolumeclaim \"{name}\" not found"));
            }

            if (claim.Spec?.AccessModes?.Contains("ReadWriteOncePod") == true)
            {
                readWriteOncePod.Add(name);
            }
        }

        // calPreFilterState: how many other pods, anywhere, use one of those claims.
        var conflicts = readWriteOncePod.Count == 0 ? 0 : _handle.Snapshot.NodeInfoList
            .SelectMany(n => n.Pods)
            .Count(p => p.Pod.Metadata.NamespaceProperty == ns && p.Pod.Metadata.Uid != pod.Pod.Metadata.Uid
                && (p.Pod.Spec?.Volumes ?? []).Any(v => v.PersistentVolumeClaim?.ClaimName is { } c && readWriteOncePod.Contains(c)));
        if (!needsCheck && conflicts == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(StateKey, new StrongBox<int>(conflicts));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var volume in pod.Pod.Spec?.Volumes ?? [])
        {
            if (node.Pods.Any(existing => Conflicts(volume, existing.Pod)))
            {
                return Status.Unschedulable(ErrReasonDiskConflict);
            }
        }

        return state.Read<StrongBox<int>>(StateKey) is { Value: > 0 }
            ? Status.UnschedulableAndUnresolvable(ErrReasonReadWriteOncePodConflict)
            : Status.Success;
    }

    // isVolumeConflict: the same disk, unless every mount of it is read-only (EBS conflicts even then).
    private static bool Conflicts(V1Volume volume, V1Pod existing) =>
        (existing.Spec?.Volumes ?? []).Any(other =>
            (volume.GcePersistentDisk is { } disk && other.GcePersistentDisk is { } otherDisk
                && disk.PdName == otherDisk.PdName && !(disk.ReadOnlyProperty == true && otherDisk.ReadOnlyProperty == true))
            || (volume.AwsElasticBlockStore is { } ebs && other.AwsElasticBlockStore is { } otherEbs && ebs.VolumeID == otherEbs.VolumeID)
            || (volume.Iscsi is { } iscsi && other.Iscsi is { } otherIscsi
                && iscsi.Iqn == otherIscsi.Iqn && !(iscsi.ReadOnlyProperty == true && otherIscsi.ReadOnlyProperty == true))
            || (volume.Rbd is { } rbd && other.Rbd is { } otherRbd
                && rbd.Monitors.Intersect(otherRbd.Monitors).Any() && (rbd.Pool ?? "rbd") == (otherRbd.Pool ?? "rbd")
                && rbd.Image == otherRbd.Image && !(rbd.ReadOnlyProperty == true && otherRbd.ReadOnlyProperty == true)));
}
