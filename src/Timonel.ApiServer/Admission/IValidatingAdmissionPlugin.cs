namespace Timonel.ApiServer.Admission;

/// <summary>A plugin that judges the final object after the strategy validated it (upstream's ValidationInterface.Validate).</summary>
public interface IValidatingAdmissionPlugin : IAdmissionPlugin
{
    /// <summary>Throws a StatusException to refuse the request; never changes the object.</summary>
    ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken);
}
