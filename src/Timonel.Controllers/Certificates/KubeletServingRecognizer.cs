using System.Net;
using k8s.Models;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// Which kubelet serving CSRs are approved without a person (K3s signs its agents' serving certificates itself; for
/// kubeadm clusters kubelet-csr-approver does this): a request valid for the kubernetes.io/kubelet-serving signer
/// (upstream's ValidateKubeletServingCSR), made by the very node its CN names (user system:node:NAME in group
/// system:nodes), whose every DNS and IP alternative name is one of that Node's status.addresses. Upstream's
/// csrapproving controller leaves all of them pending; so does this one with anything else.
/// </summary>
public sealed class KubeletServingRecognizer
{
    public const string Message = "Auto approving kubelet serving certificate for the requesting node's own addresses.";

    private const string NodeUserPrefix = "system:node:";
    private const string NodesGroup = "system:nodes";

    private readonly Func<string, V1Node?> _node;

    /// <param name="node">The Node of a name, or null while there is none (the informer's cache).</param>
    public KubeletServingRecognizer(Func<string, V1Node?> node) => _node = node;

    public KubeletServingVerdict Recognize(V1CertificateSigningRequest csr)
    {
        var request = CertificateRequests.Parse(csr);
        if (CertificateRequests.KubeletServingError(request, csr.Spec.Usages ?? []) is { } invalid)
        {
            return KubeletServingVerdict.LeavePending(invalid);
        }

        var commonName = CertificateRequests.CommonName(request);
        if (csr.Spec.Username != commonName)
        {
            return KubeletServingVerdict.LeavePending($"requested by \"{csr.Spec.Username}\", not by the node \"{commonName}\" names");
        }

        if (csr.Spec.Groups?.Contains(NodesGroup) != true)
        {
            return KubeletServingVerdict.LeavePending($"the requestor is not in the {NodesGroup} group");
        }

        var nodeName = commonName[NodeUserPrefix.Length..];
        if (nodeName.Length == 0)
        {
            return KubeletServingVerdict.LeavePending("the subject common name names no node");
        }

        var addresses = _node(nodeName)?.Status?.Addresses?.Select(a => a.Address).Where(a => !string.IsNullOrEmpty(a)).ToArray() ?? [];
        if (addresses.Length == 0)
        {
            // The kubelet asks once it has registered; its Node may not be in the cache yet.
            return KubeletServingVerdict.WaitForNode($"node \"{nodeName}\" has no addresses yet");
        }

        var names = SubjectAlternativeNames.Of(request);
        if (names.DnsNames.FirstOrDefault(dns => !addresses.Contains(dns, StringComparer.OrdinalIgnoreCase)) is { } foreignName)
        {
            return KubeletServingVerdict.LeavePending($"DNS name \"{foreignName}\" is not an address of node \"{nodeName}\"");
        }

        var ips = addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : null).OfType<IPAddress>().ToArray();
        if (names.IPAddresses.FirstOrDefault(ip => !ips.Contains(ip)) is { } foreignIp)
        {
            return KubeletServingVerdict.LeavePending($"IP address {foreignIp} is not an address of node \"{nodeName}\"");
        }

        return KubeletServingVerdict.Approve;
    }
}
