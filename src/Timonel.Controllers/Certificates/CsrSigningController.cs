using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's csrsigning controller (pkg/controller/certificates/signer/signer.go) for the signers the
/// cluster CA serves: kubernetes.io/kube-apiserver-client-kubelet, kubernetes.io/kube-apiserver-client and
/// kubernetes.io/kubelet-serving. An approved CSR that is neither failed nor issued gets a certificate for its
/// request's subject and key, valid from five minutes ago (clock skew) for spec.expirationSeconds (at least ten
/// minutes) or the signing duration (--cluster-signing-duration, a year), whichever is shorter, never past the CA's
/// own expiry. A request its signer does not allow is marked Failed (SignerValidationFailure). Keys are CSR names.
/// </summary>
public sealed class CsrSigningController : ControllerBase
{
    /// <summary>--cluster-signing-duration's default (8760h).</summary>
    public static readonly TimeSpan DefaultSigningDuration = TimeSpan.FromDays(365);

    private static readonly TimeSpan _backdate = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan _minimumDuration = TimeSpan.FromMinutes(10);

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1CertificateSigningRequest> _requests;
    private readonly X509Certificate2 _ca;
    private readonly TimeSpan _signingDuration;

    /// <param name="ca">The cluster CA, with its private key.</param>
    public CsrSigningController(IKubernetes client, SharedInformer<V1CertificateSigningRequest> requests, X509Certificate2 ca, TimeProvider time, ILogger<CsrSigningController> logger, TimeSpan? signingDuration = null)
        : base(logger, time, [requests])
    {
        _client = client;
        _requests = requests;
        _ca = ca;
        _signingDuration = signingDuration ?? DefaultSigningDuration;
        requests.AddHandlers(new(OnAdd: csr => Enqueue(csr.Metadata.Name), OnUpdate: (_, csr) => Enqueue(csr.Metadata.Name)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var csr = _requests.Cache.Get(null, key);
        if (csr is null || !CertificateRequests.IsApproved(csr) || CertificateRequests.HasCondition(csr, "Failed") || CertificateRequests.IsIssued(csr)
            || csr.Spec.SignerName is not (CertificateRequests.KubeletClientSigner or CertificateRequests.ApiServerClientSigner or CertificateRequests.KubeletServingSigner))
        {
            return SyncResult.Done;
        }

        var request = CertificateRequests.Parse(csr);
        IReadOnlyList<string> usages = [.. csr.Spec.Usages ?? []];
        var updated = CachedObject.Copy(csr);
        updated.Status ??= new V1CertificateSigningRequestStatus();
        if (ValidationError(csr.Spec.SignerName, request, usages) is { } error)
        {
            updated.Status.Conditions ??= [];
            updated.Status.Conditions.Add(new V1CertificateSigningRequestCondition
            {
                Type = "Failed",
                Status = "True",
                Reason = "SignerValidationFailure",
                Message = error,
                LastUpdateTime = Time.GetUtcNow().UtcDateTime,
            });
        }
        else
        {
            using var certificate = Sign(request, usages, csr.Spec.ExpirationSeconds);
            updated.Status.Certificate = System.Text.Encoding.UTF8.GetBytes(certificate.ExportCertificatePem() + "\n");
        }

        await _client.CertificatesV1.ReplaceCertificateSigningRequestStatusAsync(updated, key, cancellationToken: cancellationToken);
        return SyncResult.Done;
    }

    /// <summary>What each signer allows (signer.go's isKubeletClient, validAPIServerClientUsages, isKubeletServing).</summary>
    public static string? ValidationError(string signerName, CertificateRequest request, IReadOnlyList<string> usages)
    {
        switch (signerName)
        {
            case CertificateRequests.KubeletClientSigner:
                return CertificateRequests.KubeletClientError(request, usages);
            case CertificateRequests.ApiServerClientSigner:
                foreach (var usage in usages)
                {
                    if (usage is not ("digital signature" or "key encipherment" or "client auth"))
                    {
                        return $"invalid usage for client certificate: {usage}";
                    }
                }

                return usages.Contains("client auth") ? null : "missing required usage for client certificate: client auth";
            default:
                if (!CertificateRequests.Organizations(request).SequenceEqual(["system:nodes"]))
                {
                    return "subject organization is not system:nodes";
                }

                if (!CertificateRequests.CommonName(request).StartsWith("system:node:", StringComparison.Ordinal))
                {
                    return "subject common name does not begin with system:node:";
                }

                foreach (var usage in usages)
                {
                    if (usage is not ("digital signature" or "key encipherment" or "server auth"))
                    {
                        return $"invalid usage for kubelet serving certificate: {usage}";
                    }
                }

                if (!usages.Contains("server auth"))
                {
                    return "missing required usage for kubelet serving certificate: server auth";
                }

                return CertificateRequests.HasSubjectAlternativeNames(request) ? null : "at least one DNS or IP subjectAltName is required";
        }
    }

    private X509Certificate2 Sign(CertificateRequest request, IReadOnlyList<string> usages, int? expirationSeconds)
    {
        var now = Time.GetUtcNow();
        var duration = _signingDuration;
        if (expirationSeconds is { } seconds)
        {
            var requested = TimeSpan.FromSeconds(Math.Max(seconds, _minimumDuration.TotalSeconds));
            duration = requested < duration ? requested : duration;
        }

        var notAfter = now + duration;
        if (notAfter > _ca.NotAfter.ToUniversalTime())
        {
            notAfter = _ca.NotAfter.ToUniversalTime();
        }

        // The request's own extensions are not copied: only its alternative names (for serving certificates); the
        // usages come from the CSR's spec.
        var alternativeNames = request.CertificateExtensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.17");
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var keyUsage = X509KeyUsageFlags.None;
        keyUsage |= usages.Contains("digital signature") ? X509KeyUsageFlags.DigitalSignature : 0;
        keyUsage |= usages.Contains("key encipherment") ? X509KeyUsageFlags.KeyEncipherment : 0;
        if (keyUsage != X509KeyUsageFlags.None)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        }

        var extended = new OidCollection();
        if (usages.Contains("client auth"))
        {
            extended.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        if (usages.Contains("server auth"))
        {
            extended.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (extended.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(extended, false));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var ecdsa = _ca.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? _ca.GetRSAPrivateKey() : null;
        var generator = ecdsa is not null ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(rsa ?? throw new InvalidOperationException("the signing CA has no private key"), RSASignaturePadding.Pkcs1);
        return request.Create(_ca.SubjectName, generator, now - _backdate, notAfter, serial);
    }
}
