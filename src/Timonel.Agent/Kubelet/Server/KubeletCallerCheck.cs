using System.Security.Cryptography.X509Certificates;
using Timonel.Api.Certificates;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Who may use the kubelet's API: a client certificate signed by the cluster CA (else 401), naming the API server's
/// kubelet client (CN=kube-apiserver-kubelet-client) or a member of system:masters (else 403). The kubelet trusts
/// no one else, as kubeadm's kubelets with webhook authorisation trust the API server.
/// </summary>
public sealed class KubeletCallerCheck
{
    public const string ApiServerUser = "kube-apiserver-kubelet-client";
    public const string MastersGroup = "system:masters";

    private readonly X509Certificate2 _ca;

    public KubeletCallerCheck(X509Certificate2 ca) => _ca = ca;

    /// <summary>200 for an allowed caller, 401 for an unknown one, 403 for a known one without the right.</summary>
    public int Check(X509Certificate2? certificate)
    {
        if (certificate is null || !CertificateAuthorityChain.IsClientCertificate(certificate, _ca))
        {
            return 401;
        }

        var user = certificate.GetNameInfo(X509NameType.SimpleName, false);
        var groups = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue());
        return user == ApiServerUser || groups.Contains(MastersGroup) ? 200 : 403;
    }
}
