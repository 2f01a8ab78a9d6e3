using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Volumes;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Timonel.Testing.Informers;

namespace Timonel.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>Claims, volumes and classes in test informers, and a handle over them, for the volume plugins.</summary>
internal sealed class VolumeCluster
{
    public VolumeCluster() =>
        Handle = new FrameworkHandle(Api, Snapshot, Time)
        {
            PersistentVolumeClaims = Claims.Informer.Cache,
            PersistentVolumes = Volumes.Informer.Cache,
            StorageClasses = Classes.Informer.Cache,
        };

    public TestInformer<V1PersistentVolumeClaim> Claims { get; } = new();

    public TestInformer<V1PersistentVolume> Volumes { get; } = new();

    public TestInformer<V1StorageClass> Classes { get; } = new();

    public FakeSchedulerApi Api { get; } = new();

    public Snapshot Snapshot { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public FrameworkHandle Handle { get; }

    public static V1PersistentVolumeClaim Claim(string name, string? storageClass = null, string? volumeName = null, string mode = "ReadWriteOnce") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, ResourceVersion = "1" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = [mode],
            StorageClassName = storageClass,
            VolumeName = volumeName,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
        },
        Status = new V1PersistentVolumeClaimStatus { Phase = volumeName is null ? "Pending" : "Bound" },
    };

    /// <summary>An Available local volume of <paramref name="storageClass"/>, on <paramref name="node"/> only when given.</summary>
    public static V1PersistentVolume Volume(string name, string? storageClass, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1" },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("5Gi") },
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Local = new V1LocalVolumeSource { Path = "/mnt/" + name },
            NodeAffinity = node is null ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
                },
            },
        },
        Status = new V1PersistentVolumeStatus { Phase = "Available" },
    };

    public static V1StorageClass Class(string name, string provisioner, string mode = PersistentVolumes.WaitForFirstConsumer) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Provisioner = provisioner,
        VolumeBindingMode = mode,
    };

    public static V1Pod PodWithClaims(params string[] claims)
    {
        var pod = Make.Pod("web");
        pod.Metadata.Uid = "uid-web";
        pod.Spec.Volumes = [.. claims.Select(c => new V1Volume { Name = c, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c } })];
        return pod;
    }
}
