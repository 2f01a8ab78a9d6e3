using k8s.Models;

namespace Timonel.Controllers.Volume;

/// <summary>
/// The storage classes the server deploys unless <c>--disable local-storage</c> (K3s' packaged local-storage
/// manifest): the default class <c>local-path</c> on the <see cref="LocalPathProvisioner"/>, and the class names
/// cloud providers give their default classes, as aliases of it, so manifests written for one cloud run unchanged.
/// </summary>
public static class LocalStorageClasses
{
    public const string LocalPath = "local-path";

    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";

    /// <summary>Marks a class made as an alias, naming the class it copies.</summary>
    public const string AliasOfAnnotation = "timonel.io/alias-of";

    /// <summary>DigitalOcean, AKS (two), EKS (two) and GKE (two) default class names.</summary>
    public static readonly IReadOnlyList<string> BuiltInAliasNames = ["do-block-storage", "default", "managed-csi", "gp2", "gp3", "standard", "standard-rwo"];

    /// <summary>The built-in aliases (to <c>local-path</c>) with <paramref name="userAliases"/> in their place or added.</summary>
    public static IReadOnlyList<StorageClassAlias> Aliases(IReadOnlyList<StorageClassAlias> userAliases) =>
    [
        .. BuiltInAliasNames.Where(name => userAliases.All(alias => alias.Name != name)).Select(name => new StorageClassAlias(name, LocalPath)),
        .. userAliases,
    ];

    /// <summary>
    /// The default class, as K3s' local-storage manifest has it but with expansion allowed (nothing to grow for a
    /// directory) and binding delayed until a pod is scheduled, so the volume is made on that pod's node.
    /// </summary>
    public static V1StorageClass LocalPathClass() => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = LocalPath,
            Annotations = new Dictionary<string, string> { [DefaultClassAnnotation] = "true" },
        },
        Provisioner = LocalPathProvisioner.Name,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "WaitForFirstConsumer",
        AllowVolumeExpansion = true,
    };

    /// <summary><paramref name="alias"/> as a class of its own that provisions, binds, reclaims and expands as <paramref name="target"/>.</summary>
    public static V1StorageClass AliasClass(StorageClassAlias alias, V1StorageClass target) => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = alias.Name,
            Annotations = new Dictionary<string, string> { [AliasOfAnnotation] = alias.Target },
        },
        Provisioner = target.Provisioner,
        Parameters = target.Parameters,
        ReclaimPolicy = target.ReclaimPolicy,
        VolumeBindingMode = target.VolumeBindingMode,
        AllowVolumeExpansion = target.AllowVolumeExpansion,
        MountOptions = target.MountOptions,
        AllowedTopologies = target.AllowedTopologies,
    };
}
