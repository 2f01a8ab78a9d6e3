namespace Timonel.ApiServer.Admission;

/// <summary>A plugin that may change the object before the strategy prepares and validates it (upstream's MutationInterface.Admit).</summary>
public interface IMutatingAdmissionPlugin : IAdmissionPlugin
{
    /// <summary>Changes <see cref="AdmissionAttributes.Object"/> in place, or throws a StatusException to refuse the request.</summary>
    ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken);
}
