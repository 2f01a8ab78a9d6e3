using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// PersistentVolumes (upstream's ValidatePersistentVolumeSpec and ValidatePersistentVolumeUpdate in
/// pkg/apis/core/validation/validation.go): access modes, a positive storage capacity, a reclaim policy, node
/// affinity, exactly one volume source, storage class and volume mode; the volume mode may not change.
/// </summary>
internal static class PersistentVolumeValidation
{
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    // supportedReclaimPolicy, sorted as sets.List.
    private static readonly string[] _reclaimPolicies = ["Delete", "Recycle", "Retain"];

    // The PersistentVolumeSource members in the order ValidatePersistentVolumeSpec looks at them.
    private static readonly string[] _sources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "flocker", "nfs", "rbd", "quobyte", "cephfs",
        "iscsi", "cinder", "fc", "flexVolume", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume",
        "azureDisk", "scaleIO", "local", "storageos", "csi",
    ];

    public static FieldErrorList Validate(JsonObject volume)
    {
        var errors = new FieldErrorList();
        var spec = volume["spec"] as JsonObject ?? [];
        var modes = JsonFields.GetStringList(spec, "accessModes");
        if (modes.Count == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("accessModes")));
        }

        errors.AddAccessModes(modes, _spec.Child("accessModes"));
        ValidateCapacity(errors, spec);
        if (spec.StringAt("persistentVolumeReclaimPolicy") is { Length: > 0 } policy && !_reclaimPolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(_spec.Child("persistentVolumeReclaimPolicy"), policy, _reclaimPolicies));
        }

        var hasNodeAffinity = spec["nodeAffinity"] is JsonObject;
        if (spec["nodeAffinity"] is JsonObject nodeAffinity)
        {
            // validateVolumeNodeAffinity.
            if (nodeAffinity["required"] is JsonObject required)
            {
                AffinityValidation.AddNodeSelector(errors, required, _spec.Child("nodeAffinity", "required"));
            }
            else
            {
                errors.Add(FieldError.Required(_spec.Child("nodeAffinity", "required"), "must specify required node constraints"));
            }
        }

        errors.AddExactlyOne(spec, _sources, _spec, "may not specify more than 1 volume type", "must specify a volume type",
            (list, kind, source, path) => ValidateSource(list, kind, source, path, hasNodeAffinity));
        if (spec.StringAt("hostPath", "path") is { } hostPath && IsRoot(hostPath) && spec.StringAt("persistentVolumeReclaimPolicy") == "Recycle")
        {
            errors.Add(FieldError.Forbidden(_spec.Child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"));
        }

        if (spec.StringAt("storageClassName") is { Length: > 0 } className)
        {
            errors.AddInvalid(_spec.Child("storageClassName"), className, NameValidation.NameIsDnsSubdomain(className, false));
        }

        errors.AddVolumeMode(spec.StringAt("volumeMode"), _spec.Child("volumeMode"));
        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject volume, JsonObject old)
    {
        var errors = Validate(volume);
        // Upstream's path for this one is "volumeMode", without "spec".
        errors.AddImmutable(volume.At("spec", "volumeMode"), old.At("spec", "volumeMode"), FieldPath.Root("volumeMode"));
        return errors;
    }

    /// <summary>capacity: required, only "storage", and every quantity positive.</summary>
    private static void ValidateCapacity(FieldErrorList errors, JsonObject spec)
    {
        var path = _spec.Child("capacity");
        var capacity = spec["capacity"] as JsonObject;
        if (capacity is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path));
        }

        if (capacity?["storage"] is null || capacity.Count > 1)
        {
            // pvSpec.Capacity, a core.ResourceList: a nil map prints as such; a set one is shown as unstructured data
            // (Go's %#v would spell out each resource.Quantity's internals).
            errors.Add(FieldError.NotSupported(path, capacity is null ? GoValue.Nil("core.ResourceList") : capacity.DeepClone(), ["storage"]));
        }

        foreach (var (name, node) in capacity ?? [])
        {
            if (ResourceValidation.ParseQuantity(errors, node, path.Key(name)) is not { } quantity)
            {
                continue;
            }

            // validateBasicResource, then ValidatePositiveQuantityValue.
            if (quantity.Value < 0)
            {
                errors.Add(FieldError.Invalid(path.Key(name), quantity.Value, "must be a valid resource quantity"));
            }

            if (quantity.Sign <= 0)
            {
                errors.Add(FieldError.Invalid(path.Key(name), quantity.ToString(), FieldChecks.NotPositiveMessage));
            }
        }
    }

    private static void ValidateSource(FieldErrorList errors, string kind, JsonObject source, FieldPath path, bool hasNodeAffinity)
    {
        switch (kind)
        {
            case "local":
                // validateLocalVolumeSource; a local volume lives on one node, so it needs node affinity.
                var localPath = source.Text("path");
                if (localPath.Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("path")));
                }
                else
                {
                    PathValidation.AddPathNoBacksteps(errors, localPath, path.Child("path"));
                }

                if (!hasNodeAffinity)
                {
                    errors.Add(FieldError.Required(_spec.Child("nodeAffinity"), "Local volume requires node affinity"));
                }

                break;
            case "csi":
                // validateCSIPersistentVolumeSource: a driver and the volume's handle.
                foreach (var field in new[] { "driver", "volumeHandle" })
                {
                    if (source.Text(field).Length == 0)
                    {
                        errors.Add(FieldError.Required(path.Child(field)));
                    }
                }

                break;
            default:
                VolumeValidation.ValidateOne(errors, kind, source, path);
                break;
        }
    }

    // path.Clean(p) == "/": only slashes and "." segments.
    private static bool IsRoot(string path) =>
        path.StartsWith('/') && path.Split('/', StringSplitOptions.RemoveEmptyEntries).All(segment => segment == ".");
}
