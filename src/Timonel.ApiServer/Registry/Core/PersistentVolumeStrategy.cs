using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// PersistentVolumes (pkg/registry/core/persistentvolume/strategy.go; SetDefaults_PersistentVolume): Retain by
/// default, Filesystem mode, Pending until bound.
/// </summary>
public sealed class PersistentVolumeStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Capacity", "string", (pv, _) => StoragePrinting.Quantity(pv.At("spec", "capacity", "storage")), 0, "", "capacity is the description of the persistent volume's resources and capacity."),
        new("Access Modes", "string", (pv, _) => StoragePrinting.AccessModes(pv.ArrayAt("spec", "accessModes")), 0, "", "accessModes contains all ways the volume can be mounted."),
        new("Reclaim Policy", "string", (pv, _) => pv.StringAt("spec", "persistentVolumeReclaimPolicy") ?? "", 0, "", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        new("Status", "string", (pv, _) => StoragePrinting.Phase(pv), 0, "", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        new("Claim", "string", (pv, _) => Claim(pv), 0, "", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        new("StorageClass", "string", (pv, _) => StoragePrinting.StorageClass(pv), 0, "", "StorageClass of the pv"),
        new("VolumeAttributesClass", "string", (pv, _) => pv.StringAt("spec", "volumeAttributesClassName") ?? "<unset>", 0, "", "VolumeAttributesClass of the pv"),
        new("Reason", "string", (pv, _) => pv.StringAt("status", "reason") ?? "", 0, "", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        CommonColumns.Age,
        new("VolumeMode", "string", (pv, _) => pv.StringAt("spec", "volumeMode") ?? "<unset>", 1, "", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."),
    ];

    public override void PrepareForCreate(JsonObject created) =>
        StatusRules.ResetStatus(created, new JsonObject { ["phase"] = "Pending" });

    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => StatusRules.KeepStatus(updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        ContainerDefaults.SetIfEmpty(spec, "persistentVolumeReclaimPolicy", "Retain");
        ContainerDefaults.SetIfEmpty(spec, "volumeMode", "Filesystem");
        ContainerDefaults.SetIfEmpty(obj.Child("status"), "phase", "Pending");
    }

    public override FieldErrorList Validate(JsonObject obj) => PersistentVolumeValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => PersistentVolumeValidation.ValidateUpdate(updated, old);

    private static string Claim(JsonObject pv) =>
        pv.ObjectAt("spec", "claimRef") is { } claim ? $"{claim.StringAt("namespace")}/{claim.StringAt("name")}" : "";
}
