using Timonel.Api.Quantities;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize): a claim may grow only once
/// bound, and only when its class (unchanged by the update) says allowVolumeExpansion: true.
/// </summary>
public sealed class PersistentVolumeClaimResizeAdmission(AdmissionServices services) : IValidatingAdmissionPlugin
{
    public string Name => "PersistentVolumeClaimResize";

    public AdmittedResource? Resource { get; } = new("", "persistentvolumeclaims");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Update;

    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var claim = attributes.Object!;
        var old = attributes.OldObject!;
        if (Storage(claim) <= Storage(old))
        {
            return;
        }

        if (old.StringAt("status", "phase") != "Bound")
        {
            throw Forbidden(attributes, "Only bound persistent volume claims can be expanded");
        }

        if (!await AllowsResizeAsync(StorageClassNames.ClassOf(claim), StorageClassNames.ClassOf(old), cancellationToken))
        {
            throw Forbidden(attributes, "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
        }
    }

    private async Task<bool> AllowsResizeAsync(string className, string oldClassName, CancellationToken cancellationToken)
    {
        if (className.Length == 0 || className != oldClassName)
        {
            return false;
        }

        var storageClass = await services.Registry.Get("storage.k8s.io", "storageclasses").FindRecentAsync(null, className, cancellationToken);
        return storageClass?.BoolAt("allowVolumeExpansion") ?? false;
    }

    // A claim without a size compares as zero, as upstream's empty Quantity does.
    private static Quantity Storage(System.Text.Json.Nodes.JsonObject claim) =>
        claim.At("spec", "resources", "requests", "storage") is { } size ? Quantity.FromJson(size) ?? Quantity.Zero : Quantity.Zero;

    private static StatusException Forbidden(AdmissionAttributes attributes, string detail) =>
        StatusException.Forbidden("", "persistentvolumeclaims", attributes.Name, detail);
}
