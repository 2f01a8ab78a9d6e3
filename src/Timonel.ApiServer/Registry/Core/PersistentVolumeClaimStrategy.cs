using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>PersistentVolumeClaims (pkg/registry/core/persistentvolumeclaim/strategy.go): a new claim is Pending.</summary>
public sealed class PersistentVolumeClaimStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Status", "string", (pvc, _) => StoragePrinting.Phase(pvc), 0, "", "phase represents the current phase of PersistentVolumeClaim."),
        new("Volume", "string", (pvc, _) => pvc.StringAt("spec", "volumeName") ?? "", 0, "", "volumeName is the binding reference to the PersistentVolume backing this claim."),
        new("Capacity", "string", (pvc, _) => Bound(pvc) ? StoragePrinting.Quantity(pvc.At("status", "capacity", "storage")) : "", 0, "", "capacity represents the actual resources of the underlying volume."),
        new("Access Modes", "string", (pvc, _) => Bound(pvc) ? StoragePrinting.AccessModes(pvc.ArrayAt("status", "accessModes")) : "", 0, "", "accessModes contains the actual access modes the volume backing the PVC has."),
        new("StorageClass", "string", (pvc, _) => StoragePrinting.StorageClass(pvc), 0, "", "StorageClass of the pvc"),
        new("VolumeAttributesClass", "string", (pvc, _) => pvc.StringAt("spec", "volumeAttributesClassName") ?? "<unset>", 0, "", "VolumeAttributesClass of the pvc"),
        CommonColumns.Age,
        new("VolumeMode", "string", (pvc, _) => pvc.StringAt("spec", "volumeMode") ?? "<unset>", 1, "", "volumeMode defines what type of volume is required by the claim."),
    ];

    public override void PrepareForCreate(JsonObject created) =>
        StatusRules.ResetStatus(created, new JsonObject { ["phase"] = "Pending" });

    public override void PrepareForUpdate(JsonObject updated, JsonObject old) => StatusRules.KeepStatus(updated, old);

    public override void ApplyDefaults(JsonObject obj) => PersistentVolumeClaimDefaults.Apply(obj);

    private static bool Bound(JsonObject pvc) => !string.IsNullOrEmpty(pvc.StringAt("spec", "volumeName"));

    public override FieldErrorList Validate(JsonObject obj) => PersistentVolumeClaimValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => PersistentVolumeClaimValidation.ValidateUpdate(updated, old);
}
