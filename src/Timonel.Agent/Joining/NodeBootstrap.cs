using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;

namespace Timonel.Agent.Joining;

/// <summary>
/// A node's TLS bootstrap, as a kubelet's (pkg/kubelet/certificate/bootstrap): with its join token, the agent
/// generates a key, asks for a client certificate CN=system:node:&lt;name&gt;, O=system:nodes through a
/// CertificateSigningRequest to the kubernetes.io/kube-apiserver-client-kubelet signer, waits for it to be approved and
/// issued, and keeps key and certificate in its data dir, used again at the next start while valid.
/// </summary>
public static partial class NodeBootstrap
{
    public const string KubeletClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";

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
    /// obtained through a CSR made with <paramref name="bootstrap"/>'s credential (a bootstrap token, or the server's
    /// full token: either way the node then runs as system:node:NAME).
    /// </summary>
    public static async Task<ClusterConnection> ObtainAsync(ClusterConnection bootstrap, string nodeName, string directory, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var files = new NodeCertificateFiles(directory, "client-kubelet");
        var user = "system:node:" + nodeName;
        if (files.Load(saved => saved.GetNameInfo(X509NameType.SimpleName, false) == user && NodeCertificateFiles.ValidAMinuteMore(saved, time)) is { } reused)
        {
            logger.LogInformation("using the node certificate in {Path}", files.CertificatePath);
            return bootstrap with { ClientCertificate = reused, BearerToken = null };
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("system:nodes");
        subject.AddCommonName(user);
        var pem = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var client = bootstrap.CreateClient();
        var certificatePem = await CertificateSigning.RequestAsync(client, "node-csr-", pem, KubeletClientSigner, ["digital signature", "client auth"], logger, time, cancellationToken);
        return bootstrap with { ClientCertificate = await files.SaveAsync(key, certificatePem, cancellationToken), BearerToken = null };
    }

    // k8s.io/cluster-bootstrap/token/api BootstrapTokenPattern.
    [GeneratedRegex(@"^[a-z0-9]{6}\.[a-z0-9]{16}$")]
    private static partial Regex BootstrapTokenPattern();
}
