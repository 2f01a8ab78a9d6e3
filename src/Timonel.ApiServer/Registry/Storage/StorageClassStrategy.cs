using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Storage;

/// <summary>
/// StorageClasses (pkg/registry/storage/storageclass/strategy.go; pkg/apis/storage/v1/defaults.go: reclaimPolicy
/// Delete, volumeBindingMode Immediate). The default class is marked "(default)" in NAME.
/// </summary>
public sealed class StorageClassStrategy : ResourceStrategyBase
{
    // storageutil.IsDefaultAnnotation: the GA annotation or its beta predecessor set to "true".
    private static readonly string[] _defaultClassAnnotations = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"];

    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Name", "string", (sc, _) => IsDefault(sc) ? sc.Name() + " (default)" : sc.Name(), 0, "name", CommonColumns.NameDescription),
        new("Provisioner", "string", (sc, _) => sc.StringAt("provisioner") ?? "", 0, "", "provisioner indicates the type of the provisioner."),
        new("ReclaimPolicy", "string", (sc, _) => sc.StringAt("reclaimPolicy") ?? "Delete", 0, "", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
        new("VolumeBindingMode", "string", (sc, _) => sc.StringAt("volumeBindingMode") ?? "Immediate", 0, "", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
        new("AllowVolumeExpansion", "string", (sc, _) => sc.BoolAt("allowVolumeExpansion") ?? false, 0, "", "allowVolumeExpansion shows whether the storage class allow volume expand."),
        CommonColumns.Age,
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        ContainerDefaults.SetIfEmpty(obj, "reclaimPolicy", "Delete");
        ContainerDefaults.SetIfEmpty(obj, "volumeBindingMode", "Immediate");
    }

    public static bool IsDefault(JsonObject storageClass)
    {
        var annotations = storageClass.Annotations();
        return _defaultClassAnnotations.Any(a => annotations.TryGetValue(a, out var value) && value == "true");
    }

    public override FieldErrorList Validate(JsonObject obj) => StorageClassValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => StorageClassValidation.ValidateUpdate(updated, old);
}
