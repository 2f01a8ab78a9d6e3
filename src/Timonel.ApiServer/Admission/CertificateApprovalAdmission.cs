using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The CertificateApproval plugin (plugin/pkg/admission/certificates/approval): approving or denying a CSR through
/// its approval subresource needs the <c>approve</c> verb on the CSR's signer (certificates.k8s.io signers, the
/// signer name as resource name, or its domain's wildcard).
/// </summary>
public sealed class CertificateApprovalAdmission : IValidatingAdmissionPlugin
{
    private readonly AdmissionServices _services;

    public CertificateApprovalAdmission(AdmissionServices services) => _services = services;

    public string Name => "CertificateApproval";

    public AdmittedResource? Resource { get; } = new("certificates.k8s.io", "certificatesigningrequests", "approval");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Update;

    public ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.User is { } user)
        {
            var signerName = attributes.OldObject.StringAt("spec", "signerName") ?? "";
            if (!SignerAuthorization.IsAuthorized(_services.Authorizer, user, "approve", signerName))
            {
                throw StatusException.Forbidden("certificates.k8s.io", "certificatesigningrequests", attributes.Name, $"user not permitted to approve requests with signerName \"{signerName}\"");
            }
        }

        return ValueTask.CompletedTask;
    }
}
