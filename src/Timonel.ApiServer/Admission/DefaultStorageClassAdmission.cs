using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a new claim that names no class gets
/// the default one, the class annotated storageclass.kubernetes.io/is-default-class=true; of several, the newest
/// (then the first by name), as util.GetDefaultClass picks. No default class: the claim is left as it is.
/// </summary>
public sealed class DefaultStorageClassAdmission(AdmissionServices services) : IMutatingAdmissionPlugin
{
    public string Name => "DefaultStorageClass";

    public AdmittedResource? Resource { get; } = new("", "persistentvolumeclaims");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var claim = attributes.Object!;
        if (StorageClassNames.HasClass(claim))
        {
            return;
        }

        var chosen = await DefaultClasses.NewestAsync(services.Registry, "storage.k8s.io", "storageclasses", StorageClassNames.IsDefault, cancellationToken);
        if (chosen is not null)
        {
            claim.Child("spec")["storageClassName"] = chosen.Name();
        }
    }
}
