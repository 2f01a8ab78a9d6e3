using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>List-watches of certificates.k8s.io/v1 CertificateSigningRequests (cluster-scoped).</summary>
public static class CertificatesListWatches
{
    public static ListWatch<V1CertificateSigningRequest> CertificateSigningRequests(IKubernetes client) => CoreListWatches.Of<V1CertificateSigningRequest, V1CertificateSigningRequestList>(
        "certificatesigningrequests",
        (_, cancellationToken) => client.CertificatesV1.ListCertificateSigningRequestAsync(cancellationToken: cancellationToken),
        (_, resourceVersion, timeoutSeconds, onError, cancellationToken) => client.CertificatesV1.WatchListCertificateSigningRequestAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: cancellationToken));
}
