using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The ServiceAccount plugin's defaulting (plugin/pkg/admission/serviceaccount): a new pod that names no service
/// account runs as "default". The token volume it also mounts is not added yet.
/// </summary>
public sealed class ServiceAccountAdmission : IMutatingAdmissionPlugin
{
    public const string DefaultServiceAccount = "default";

    public string Name => "ServiceAccount";

    public AdmittedResource? Resource { get; } = new("", "pods");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Admit(attributes);
        return ValueTask.CompletedTask;
    }

    private static void Admit(AdmissionAttributes attributes)
    {
        var spec = attributes.Object!.Child("spec");
        if (string.IsNullOrEmpty(spec.StringAt("serviceAccountName")))
        {
            spec["serviceAccountName"] = DefaultServiceAccount;
            spec["serviceAccount"] = DefaultServiceAccount;
        }
    }
}
