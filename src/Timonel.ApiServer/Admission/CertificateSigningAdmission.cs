using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The CertificateSigning plugin (plugin/pkg/admission/certificates/signing): a status update that changes the issued
/// certificate needs the <c>sign</c> verb on the CSR's signer. Other status changes (conditions) pass.
/// </summary>
public sealed class CertificateSigningAdmission : IValidatingAdmissionPlugin
{
    private readonly AdmissionServices _services;

    public CertificateSigningAdmission(AdmissionServices services) => _services = services;

    public string Name => "CertificateSigning";

    public AdmittedResource? Resource { get; } = new("certificates.k8s.io", "certificatesigningrequests", "status");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Update;

    public ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.User is { } user && attributes.Object.StringAt("status", "certificate") != attributes.OldObject.StringAt("status", "certificate"))
        {
            var signerName = attributes.OldObject.StringAt("spec", "signerName") ?? "";
            if (!SignerAuthorization.IsAuthorized(_services.Authorizer, user, "sign", signerName))
            {
                throw StatusException.Forbidden("certificates.k8s.io", "certificatesigningrequests", attributes.Name, $"user not permitted to sign requests with signerName \"{signerName}\"");
            }
        }

        return ValueTask.CompletedTask;
    }
}
