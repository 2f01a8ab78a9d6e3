using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// kube-controller-manager's csrapproving controller (pkg/controller/certificates/approver/sarapprove.go): a pending
/// CSR for a kubelet client certificate is approved when its requestor may create
/// certificatesigningrequests/selfnodeclient (a renewal: the requestor is the node the certificate names) or
/// certificatesigningrequests/nodeclient (a new node), asked through a SubjectAccessReview as the requestor. A pending
/// kubelet serving CSR is approved when <see cref="KubeletServingRecognizer"/> says so, as K3s does for its agents.
/// Keys are CSR names.
/// </summary>
public sealed class CsrApprovingController : ControllerBase
{
    public const string SelfNodeClientMessage = "Auto approving self kubelet client certificate after SubjectAccessReview.";
    public const string NodeClientMessage = "Auto approving kubelet client certificate after SubjectAccessReview.";

    /// <summary>How soon a serving CSR whose Node has not registered its addresses is looked at again.</summary>
    public static readonly TimeSpan NodeWait = TimeSpan.FromSeconds(2);

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1CertificateSigningRequest> _requests;
    private readonly KubeletServingRecognizer _serving;

    public CsrApprovingController(IKubernetes client, SharedInformer<V1CertificateSigningRequest> requests, SharedInformer<V1Node> nodes, TimeProvider time, ILogger<CsrApprovingController> logger)
        : base(logger, time, [requests, nodes])
    {
        _client = client;
        _requests = requests;
        _serving = new KubeletServingRecognizer(name => nodes.Cache.Get(null, name));
        requests.AddHandlers(new(OnAdd: csr => Enqueue(csr.Metadata.Name), OnUpdate: (_, csr) => Enqueue(csr.Metadata.Name)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var csr = _requests.Cache.Get(null, key);
        if (csr is null || CertificateRequests.IsIssued(csr) || CertificateRequests.HasCondition(csr, "Approved") || CertificateRequests.HasCondition(csr, "Denied"))
        {
            return SyncResult.Done;
        }

        return csr.Spec.SignerName switch
        {
            CertificateRequests.KubeletClientSigner => await SyncClientAsync(csr, cancellationToken),
            CertificateRequests.KubeletServingSigner => await SyncServingAsync(csr, cancellationToken),
            _ => SyncResult.Done,
        };
    }

    private async Task<SyncResult> SyncServingAsync(V1CertificateSigningRequest csr, CancellationToken cancellationToken)
    {
        var verdict = _serving.Recognize(csr);
        switch (verdict.Decision)
        {
            case KubeletServingVerdict.Outcome.Approve:
                await ApproveAsync(csr, KubeletServingRecognizer.Message, cancellationToken);
                return SyncResult.Done;
            case KubeletServingVerdict.Outcome.WaitForNode:
                return SyncResult.Requeue(NodeWait);
            default:
                Logger.LogInformation("kubelet serving csr {Name} left for a person to approve: {Reason}", csr.Metadata.Name, verdict.Reason);
                return SyncResult.Done;
        }
    }

    private async Task<SyncResult> SyncClientAsync(V1CertificateSigningRequest csr, CancellationToken cancellationToken)
    {
        var request = CertificateRequests.Parse(csr);
        if (CertificateRequests.KubeletClientError(request, csr.Spec.Usages ?? []) is not null)
        {
            return SyncResult.Done;
        }

        // The recognizers in upstream's order: a node renewing its own certificate first, then any node client.
        var recognizers = new List<(string Subresource, string Message)>();
        if (csr.Spec.Username == CertificateRequests.CommonName(request))
        {
            recognizers.Add(("selfnodeclient", SelfNodeClientMessage));
        }

        recognizers.Add(("nodeclient", NodeClientMessage));
        foreach (var (subresource, message) in recognizers)
        {
            if (await AuthorizedAsync(csr, subresource, cancellationToken))
            {
                await ApproveAsync(csr, message, cancellationToken);
                return SyncResult.Done;
            }
        }

        // Recognized but not allowed: upstream logs this and leaves the CSR for a person to decide.
        Logger.LogInformation("recognized csr {Name} as [{Tried}] but subject access review was not approved", csr.Metadata.Name, string.Join(" ", recognizers.Select(r => r.Subresource)));
        return SyncResult.Done;
    }

    private async Task ApproveAsync(V1CertificateSigningRequest csr, string message, CancellationToken cancellationToken)
    {
        var approved = CachedObject.Copy(csr);
        approved.Status ??= new V1CertificateSigningRequestStatus();
        approved.Status.Conditions ??= [];
        var now = Time.GetUtcNow().UtcDateTime;
        approved.Status.Conditions.Add(new V1CertificateSigningRequestCondition
        {
            Type = "Approved",
            Status = "True",
            Reason = "AutoApproved",
            Message = message,
            LastUpdateTime = now,
            LastTransitionTime = now,
        });
        await _client.CertificatesV1.ReplaceCertificateSigningRequestApprovalAsync(approved, csr.Metadata.Name, cancellationToken: cancellationToken);
    }

    private async Task<bool> AuthorizedAsync(V1CertificateSigningRequest csr, string subresource, CancellationToken cancellationToken)
    {
        var review = new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = csr.Spec.Username,
                Uid = csr.Spec.Uid,
                Groups = csr.Spec.Groups,
                Extra = csr.Spec.Extra,
                ResourceAttributes = new V1ResourceAttributes
                {
                    Group = "certificates.k8s.io",
                    Resource = "certificatesigningrequests",
                    Verb = "create",
                    Subresource = subresource,
                    Version = "*",
                },
            },
        };
        var answer = await _client.AuthorizationV1.CreateSubjectAccessReviewAsync(review, cancellationToken: cancellationToken);
        return answer.Status?.Allowed == true;
    }
}
