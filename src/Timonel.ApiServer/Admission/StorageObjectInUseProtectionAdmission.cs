using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The StorageObjectInUseProtection plugin (plugin/pkg/admission/storage/storageobjectinuseprotection): a new claim
/// gets the <c>kubernetes.io/pvc-protection</c> finalizer and a new volume <c>kubernetes.io/pv-protection</c>, so
/// neither disappears while in use; the pvc-protection and pv-protection controllers remove them once unused.
/// </summary>
public sealed class StorageObjectInUseProtectionAdmission : IMutatingAdmissionPlugin
{
    /// <summary>volumeutil.PVCProtectionFinalizer.</summary>
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";

    /// <summary>volumeutil.PVProtectionFinalizer.</summary>
    public const string PvProtectionFinalizer = "kubernetes.io/pv-protection";

    public string Name => "StorageObjectInUseProtection";

    // Two resources: the plugin looks at every create and keeps to claims and volumes itself.
    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var finalizer = (attributes.Resource.Group, attributes.Resource.Plural, attributes.Subresource) switch
        {
            ("", "persistentvolumeclaims", "") => PvcProtectionFinalizer,
            ("", "persistentvolumes", "") => PvProtectionFinalizer,
            _ => null,
        };
        if (finalizer is not null && attributes.Object is { } obj)
        {
            var metadata = obj.Child("metadata");
            if (metadata["finalizers"] is not JsonArray finalizers)
            {
                finalizers = [];
                metadata["finalizers"] = finalizers;
            }

            if (!finalizers.Any(f => f?.GetValue<string>() == finalizer))
            {
                finalizers.Add(finalizer);
            }
        }

        return ValueTask.CompletedTask;
    }
}
