using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// NamespaceLifecycle's refusal to delete the namespaces the cluster needs (default, kube-system, kube-public), which
/// upstream makes in the delete handler ahead of the registry, so a dry run is refused too. Which names are immortal
/// is the namespace strategy's to say (<see cref="IDeleteAdmissionStrategy"/>).
/// </summary>
public sealed class NamespaceDeletionAdmission : IMutatingAdmissionPlugin
{
    public string Name => "NamespaceLifecycle";

    public AdmittedResource? Resource { get; } = new("", "namespaces");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Delete;

    public ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        Admit(attributes);
        return ValueTask.CompletedTask;
    }

    private static void Admit(AdmissionAttributes attributes)
    {
        if (attributes.Resource.Strategy is IDeleteAdmissionStrategy strategy)
        {
            strategy.AdmitDelete(attributes.Name);
        }
    }
}
