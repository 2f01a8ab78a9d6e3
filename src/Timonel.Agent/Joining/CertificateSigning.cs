using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Joining;

/// <summary>
/// One round trip through the certificates API, as a kubelet's certificate manager makes it: create a
/// CertificateSigningRequest for a signer, wait until it is approved and issued, and return the certificate (PEM). A
/// denied or failed request, or one nobody approves within 15 minutes, ends with a message saying so.
/// </summary>
public static class CertificateSigning
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan _patience = TimeSpan.FromMinutes(15);

    /// <param name="generateName">The CSR's name prefix: the kubelet's bootstrap names its request node-csr-, its certificate manager csr-.</param>
    /// <exception cref="InvalidOperationException">The request was denied, failed, or was not issued in time.</exception>
    public static async Task<string> RequestAsync(IKubernetes client, string generateName, string requestPem, string signerName, IList<string> usages, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var created = await client.CertificatesV1.CreateCertificateSigningRequestAsync(
            new V1CertificateSigningRequest
            {
                Metadata = new V1ObjectMeta { GenerateName = generateName },
                Spec = new V1CertificateSigningRequestSpec
                {
                    Request = System.Text.Encoding.ASCII.GetBytes(requestPem),
                    SignerName = signerName,
                    Usages = usages,
                },
            },
            cancellationToken: cancellationToken);
        logger.LogInformation("waiting for certificate signing request {Name} ({Signer}) to be approved and issued", created.Metadata.Name, signerName);
        return await WaitForCertificateAsync(client, created.Metadata.Name, time, cancellationToken);
    }

    private static async Task<string> WaitForCertificateAsync(IKubernetes client, string name, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + _patience;
        while (true)
        {
            var csr = await client.CertificatesV1.ReadCertificateSigningRequestAsync(name, cancellationToken: cancellationToken);
            if (csr.Status?.Conditions?.FirstOrDefault(c => c.Type is "Denied" or "Failed") is { } refused)
            {
                throw new InvalidOperationException($"certificate signing request {name} was {refused.Type.ToLowerInvariant()}: {refused.Message}");
            }

            if (csr.Status?.Certificate is { Length: > 0 } certificate)
            {
                return System.Text.Encoding.ASCII.GetString(certificate);
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException($"certificate signing request {name} was not issued within {_patience.TotalMinutes} minutes; approve it with kubectl certificate approve {name}");
            }

            await Task.Delay(_pollInterval, time, cancellationToken);
        }
    }
}
