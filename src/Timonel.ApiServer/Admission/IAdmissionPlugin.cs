namespace Timonel.ApiServer.Admission;

/// <summary>
/// One admission plugin (upstream's admission.Interface): the operations it handles and the resource it admits.
/// A plugin is mutating (<see cref="IMutatingAdmissionPlugin"/>), validating (<see cref="IValidatingAdmissionPlugin"/>)
/// or both.
/// </summary>
public interface IAdmissionPlugin
{
    /// <summary>The plugin's name as upstream registers it ("ServiceAccount", "Priority").</summary>
    string Name { get; }

    /// <summary>The resource the plugin admits; null for every resource.</summary>
    AdmittedResource? Resource { get; }

    /// <summary>Whether the plugin takes part in <paramref name="operation"/> (upstream's Handles).</summary>
    bool Handles(AdmissionOperation operation);
}
