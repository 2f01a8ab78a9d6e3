namespace Timonel.ApiServer.Registry;

/// <summary>
/// Kinds with objects that an admission plugin refuses to delete whatever their state, before the store reads them
/// (upstream's mutating admission runs in the delete handler ahead of the registry, so dry runs are refused too).
/// </summary>
public interface IDeleteAdmissionStrategy
{
    /// <summary>Throws the refusal (a StatusException) when the object named <paramref name="name"/> may not be deleted.</summary>
    void AdmitDelete(string name);
}
