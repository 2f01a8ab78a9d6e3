using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// The CertificateSubjectRestriction plugin (plugin/pkg/admission/certificates/subjectrestriction): a CSR for the
/// kubernetes.io/kube-apiserver-client signer may not ask for the system:masters group, which no authorizer could
/// take back from whoever holds the certificate.
/// </summary>
public sealed class CertificateSubjectRestrictionAdmission : IValidatingAdmissionPlugin
{
    private const string ApiServerClientSigner = "kubernetes.io/kube-apiserver-client";

    public string Name => "CertificateSubjectRestriction";

    public AdmittedResource? Resource { get; } = new("certificates.k8s.io", "certificatesigningrequests");

    public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

    public ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.Object.StringAt("spec", "signerName") == ApiServerClientSigner
            && Organizations(attributes.Object.StringAt("spec", "request") ?? "").Contains("system:masters"))
        {
            var name = attributes.Object.StringAt("metadata", "name") ?? "";
            throw StatusException.Forbidden("certificates.k8s.io", "certificatesigningrequests", name, $"use of {ApiServerClientSigner} signer with system:masters group is not allowed");
        }

        return ValueTask.CompletedTask;
    }

    // Validation has already checked the request parses; an unreadable one asks for nothing here.
    private static IReadOnlyList<string> Organizations(string base64)
    {
        try
        {
            var pem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation);
            return [.. request.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
                .Select(rdn => rdn.GetSingleElementValue() ?? "")];
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return [];
        }
    }
}
