using System.Text.Json.Nodes;
using Timonel.Api.Quantities;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// PersistentVolumeClaims (upstream's ValidatePersistentVolumeClaimSpec and ValidatePersistentVolumeClaimUpdate):
/// access modes and a positive storage request; the spec is frozen except the storage request of a bound claim
/// (which may only grow) and a volumeName set once.
/// </summary>
internal static class PersistentVolumeClaimValidation
{
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    public static FieldErrorList Validate(JsonObject claim)
    {
        var errors = new FieldErrorList();
        var spec = claim["spec"] as JsonObject ?? [];
        var modes = Api.Objects.JsonFields.GetStringList(spec, "accessModes");
        if (modes.Count == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("accessModes"), "at least 1 access mode is required"));
        }

        errors.AddLabelSelector(spec.ObjectAt("selector"), _spec.Child("selector"));
        errors.AddAccessModes(modes, _spec.Child("accessModes"));

        // Upstream's path leaves out "requests".
        var storagePath = _spec.Child("resources").Key("storage");
        var storage = Storage(spec);
        if (spec.At("resources", "requests", "storage") is null)
        {
            errors.Add(FieldError.Required(storagePath));
        }
        else if (storage is null || storage.Sign <= 0)
        {
            errors.Add(FieldError.Invalid(storagePath, storage?.ToString() ?? spec.At("resources", "requests", "storage")?.ToString(), FieldChecks.NotPositiveMessage));
        }

        if (spec.StringAt("storageClassName") is { Length: > 0 } className)
        {
            errors.AddInvalid(_spec.Child("storageClassName"), className, NameValidation.NameIsDnsSubdomain(className, false));
        }

        errors.AddVolumeMode(spec.StringAt("volumeMode"), _spec.Child("volumeMode"));

        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject claim, JsonObject old)
    {
        var errors = Validate(claim);
        var spec = (claim["spec"] as JsonObject ?? []).DeepClone().AsObject();
        var oldSpec = (old["spec"] as JsonObject ?? []).DeepClone().AsObject();
        if (oldSpec.Text("volumeName").Length == 0 && spec["volumeName"] is not null)
        {
            // The binder sets volumeName once.
            oldSpec["volumeName"] = spec["volumeName"]?.DeepClone();
        }

        if (claim.StringAt("status", "phase") == "Bound" && spec.ObjectAt("resources", "requests") is { } requests)
        {
            requests["storage"] = oldSpec.At("resources", "requests", "storage")?.DeepClone();
        }

        if (!JsonNode.DeepEquals(spec, oldSpec))
        {
            // VolumeAttributesClass is off by default in 1.32, so the message names resources.requests only.
            errors.Add(FieldError.Forbidden(_spec, "spec is immutable after creation except resources.requests for bound claims"));
        }

        if (Storage(claim["spec"]) is { } size && Storage(old["spec"]) is { } oldSize && size < oldSize)
        {
            errors.Add(FieldError.Forbidden(_spec.Child("resources", "requests", "storage"), "field can not be less than previous value"));
        }

        return errors;
    }

    private static Quantity? Storage(JsonNode? spec)
    {
        var text = spec.At("resources", "requests", "storage")?.ToString();
        return text is not null && Quantity.TryParse(text.Trim(), out var quantity, out _) ? quantity : null;
    }
}
