using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s.Models;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// What the certificate controllers read from a CSR (pkg/apis/certificates helpers, pkg/controller/certificates):
/// its conditions, its parsed request, and whether it is a kubelet's client or serving certificate request.
/// </summary>
public static class CertificateRequests
{
    public const string KubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";
    public const string ApiServerClientSigner = "kubernetes.io/kube-apiserver-client";
    public const string KubeletServingSigner = "kubernetes.io/kubelet-serving";

    private const string OrganizationOid = "2.5.4.10";
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    // kubeletClientRequiredUsages and its variant without key encipherment (pkg/apis/certificates/v1/helpers.go).
    private static readonly string[] _kubeletClientUsages = ["client auth", "digital signature", "key encipherment"];
    private static readonly string[] _kubeletClientUsagesNoRsa = ["client auth", "digital signature"];

    // kubeletServingRequiredUsages and kubeletServingRequiredUsagesNoRSA, in the same order.
    private static readonly string[] _kubeletServingUsages = ["digital signature", "key encipherment", "server auth"];
    private static readonly string[] _kubeletServingUsagesNoRsa = ["digital signature", "server auth"];

    public static bool HasCondition(V1CertificateSigningRequest csr, string type) =>
        csr.Status?.Conditions?.Any(c => c.Type == type) == true;

    public static bool IsApproved(V1CertificateSigningRequest csr) => HasCondition(csr, "Approved") && !HasCondition(csr, "Denied");

    public static bool IsIssued(V1CertificateSigningRequest csr) => csr.Status?.Certificate is { Length: > 0 };

    /// <summary>The PEM certificate request, parsed (its signature was checked when the CSR was created).</summary>
    public static CertificateRequest Parse(V1CertificateSigningRequest csr) =>
        CertificateRequest.LoadSigningRequestPem(System.Text.Encoding.UTF8.GetString(csr.Spec.Request), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

    public static IReadOnlyList<string> Organizations(CertificateRequest request) =>
        [.. request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == OrganizationOid)
            .Select(rdn => rdn.GetSingleElementValue() ?? "")];

    public static string CommonName(CertificateRequest request) =>
        request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.3")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .FirstOrDefault() ?? "";

    public static bool HasSubjectAlternativeNames(CertificateRequest request) =>
        request.CertificateExtensions.Any(e => e.Oid?.Value == SubjectAlternativeNameOid);

    /// <summary>
    /// ValidateKubeletClientCSR: O exactly system:nodes, CN system:node:NAME, no alternative names, and usages exactly
    /// digital signature + client auth (key encipherment allowed); null when it is one, else why not.
    /// </summary>
    public static string? KubeletClientError(CertificateRequest request, IEnumerable<string> usages)
    {
        if (!Organizations(request).SequenceEqual(["system:nodes"]))
        {
            return "subject organization is not system:nodes";
        }

        if (HasSubjectAlternativeNames(request))
        {
            return "DNS, email, IP or URI subjectAltNames are not allowed";
        }

        if (!CommonName(request).StartsWith("system:node:", StringComparison.Ordinal))
        {
            return "subject common name does not begin with system:node:";
        }

        var set = usages.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return set.SequenceEqual(_kubeletClientUsages) || set.SequenceEqual(_kubeletClientUsagesNoRsa)
            ? null
            : $"usages did not match [{string.Join(" ", _kubeletClientUsages)}]";
    }

    /// <summary>
    /// ValidateKubeletServingCSR: O exactly system:nodes, at least one DNS or IP alternative name and no email or URI
    /// one, usages exactly digital signature + server auth (key encipherment allowed), CN system:node:NAME; null when
    /// it is one, else why not (upstream's words).
    /// </summary>
    public static string? KubeletServingError(CertificateRequest request, IEnumerable<string> usages)
    {
        if (!Organizations(request).SequenceEqual(["system:nodes"]))
        {
            return "subject organization is not system:nodes";
        }

        var names = SubjectAlternativeNames.Of(request);
        if (names.DnsNames.Count == 0 && names.IPAddresses.Count == 0)
        {
            return "DNS or IP subjectAltName is required";
        }

        if (names.EmailAddresses.Count > 0)
        {
            return "Email subjectAltNames are not allowed";
        }

        if (names.Uris.Count > 0)
        {
            return "URI subjectAltNames are not allowed";
        }

        var set = usages.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (!set.SequenceEqual(_kubeletServingUsages) && !set.SequenceEqual(_kubeletServingUsagesNoRsa))
        {
            return $"usages did not match [{string.Join(" ", _kubeletServingUsages)}]";
        }

        return CommonName(request).StartsWith("system:node:", StringComparison.Ordinal) ? null : "subject common name does not begin with system:node:";
    }
}
