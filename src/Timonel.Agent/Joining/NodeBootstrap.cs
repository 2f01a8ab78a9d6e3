using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;

namespace Timonel.Agent.Joining;

/// <summary>
/// A node's TLS bootstrap, as a kubelet's (pkg/kubelet/certificate/bootstrap): with a bootstrap token, the agent
/// generates a key, asks for a client certificate CN=system:node:&lt;name&gt;, O=system:nodes through a
/// CertificateSigningRequest to the kubernetes.io/kube-apiserver-client-kubelet signer, waits for it to be approved and
/// issued, and keeps key and certificate in its data dir, used again at the next start while valid.
/// </summary>
public static partial class NodeBootstrap
{
    public const string KubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";

    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan _patience = TimeSpan.FromMinutes(15);

    /// <summary>Whether a join token's credential (after "::", or all of it) is a bootstrap token id.secret.</summary>
    public static bool IsBootstrapToken(string token) => BootstrapTokenPattern().IsMatch(Credential(token));

    /// <summary>The credential part of a join token K10&lt;hash&gt;::&lt;credential&gt;, or the token itself.</summary>
    public static string Credential(string token)
    {
        var separator = token.IndexOf("::", StringComparison.Ordinal);
        return separator < 0 ? token : token[(separator + 2)..];
    }

    /// <summary>
    /// The connection the node runs with: its saved certificate while it is valid for another minute, else one
    /// obtained through a CSR made with <paramref name="bootstrap"/>'s token.
    /// </summary>
    public static async Task<ClusterConnection> ObtainAsync(ClusterConnection bootstrap, string nodeName, string directory, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, "client-kubelet.crt");
        var keyPath = Path.Combine(directory, "client-kubelet.key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var saved = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (saved.GetNameInfo(X509NameType.SimpleName, false) == "system:node:" + nodeName && saved.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddMinutes(1))
            {
                logger.LogInformation("using the node certificate in {Path}", certificatePath);
                return bootstrap with { ClientCertificate = saved, BearerToken = null };
            }

            saved.Dispose();
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:nodes");
        subject.AddCommonName("system:node:" + nodeName);
        var pem = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var client = bootstrap.CreateClient();
        var created = await client.CertificatesV1.CreateCertificateSigningRequestAsync(
            new V1CertificateSigningRequest
            {
                Metadata = new V1ObjectMeta { GenerateName = "node-csr-" },
                Spec = new V1CertificateSigningRequestSpec
                {
                    Request = System.Text.Encoding.ASCII.GetBytes(pem),
                    SignerName = KubeletClientSigner,
                    Usages = ["digital signature", "client auth"],
                },
            },
            cancellationToken: cancellationToken);
        logger.LogInformation("waiting for certificate signing request {Name} to be approved and issued", created.Metadata.Name);
        var certificatePem = await WaitForCertificateAsync(client, created.Metadata.Name, time, cancellationToken);
        await File.WriteAllTextAsync(keyPath, key.ExportECPrivateKeyPem(), cancellationToken);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(certificatePath, certificatePem, cancellationToken);
        return bootstrap with { ClientCertificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath), BearerToken = null };
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

    // k8s.io/cluster-bootstrap/token/api BootstrapTokenPattern.
    [GeneratedRegex(@"^[a-z0-9]{6}\.[a-z0-9]{16}$")]
    private static partial Regex BootstrapTokenPattern();
}
