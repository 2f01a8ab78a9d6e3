using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Certificates;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Certificates;

public sealed class CsrApprovingControllerTests : IDisposable
{
    private const string Reviews = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1CertificateSigningRequest> _requests = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly CsrApprovingController _controller;

    public CsrApprovingControllerTests() =>
        _controller = new(_api.Client, _requests.Informer, _nodes.Informer, new FakeTimeProvider(), NullLogger<CsrApprovingController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_BootstrapperAllowedNodeClient_ApprovesAsUpstream()
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:bootstrap:abcdef"));
        Allow();

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Equal([$"POST {Reviews}", "PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/csr-1/approval"], _api.Calls);
        var review = _api.Requests[0].BodyAs<V1SubjectAccessReview>();
        Assert.Equal("system:bootstrap:abcdef", review.Spec.User);
        Assert.Equal(["system:bootstrappers", "system:authenticated"], review.Spec.Groups);
        Assert.Equal(("create", "certificatesigningrequests", "nodeclient"), (review.Spec.ResourceAttributes.Verb, review.Spec.ResourceAttributes.Resource, review.Spec.ResourceAttributes.Subresource));
        var condition = Assert.Single(_api.Requests[1].BodyAs<V1CertificateSigningRequest>().Status.Conditions);
        Assert.Equal(("Approved", "True", "AutoApproved", "Auto approving kubelet client certificate after SubjectAccessReview."), (condition.Type, condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public async Task SyncAsync_NodeRenewingItsOwnCertificate_AsksSelfNodeClientFirst()
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:node:n1"));
        Allow();

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Equal("selfnodeclient", _api.Requests[0].BodyAs<V1SubjectAccessReview>().Spec.ResourceAttributes.Subresource);
        var condition = Assert.Single(_api.Requests[1].BodyAs<V1CertificateSigningRequest>().Status.Conditions);
        Assert.Equal("Auto approving self kubelet client certificate after SubjectAccessReview.", condition.Message);
    }

    [Fact]
    public async Task SyncAsync_RequestorNotAllowed_LeftPending()
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:node:n1"));
        _api.Answer(HttpMethod.Post, Reviews, HttpStatusCode.Created, new V1SubjectAccessReview { Spec = new V1SubjectAccessReviewSpec(), Status = new V1SubjectAccessReviewStatus { Allowed = false } });

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        // selfnodeclient, then nodeclient: both refused, nothing written.
        Assert.Equal([$"POST {Reviews}", $"POST {Reviews}"], _api.Calls);
    }

    [Theory]
    [InlineData("Approved")]
    [InlineData("Denied")]
    public async Task SyncAsync_AlreadyDecided_CallsNothing(string decision)
    {
        _requests.Add(TestCsrs.KubeletClient("csr-1", "system:node:n1", approval: decision));
        Allow();

        await _controller.SyncAsync("csr-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_OtherSignerOrSubject_CallsNothing()
    {
        _requests.Add(TestCsrs.Csr("client", "kubernetes.io/kube-apiserver-client", "O=system:nodes, CN=system:node:n1", ["digital signature", "client auth"], "jane"));
        _requests.Add(TestCsrs.Csr("not-a-node", "kubernetes.io/kube-apiserver-client-kubelet", "O=dev, CN=jane", ["digital signature", "client auth"], "jane"));
        Allow();

        await _controller.SyncAsync("client", CancellationToken.None);
        await _controller.SyncAsync("not-a-node", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_NodesOwnServingCertificate_ApprovedWithoutAReview()
    {
        _nodes.Add(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" }, Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "192.168.1.10" }] } });
        _requests.Add(TestCsrs.KubeletServing("serving", "n1", [], ["192.168.1.10"]));

        var result = await _controller.SyncAsync("serving", CancellationToken.None);

        Assert.Null(result.RequeueAfter);
        Assert.Equal(["PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/serving/approval"], _api.Calls);
        var condition = Assert.Single(_api.Requests[0].BodyAs<V1CertificateSigningRequest>().Status.Conditions);
        Assert.Equal(("Approved", "True", "AutoApproved", KubeletServingRecognizer.Message), (condition.Type, condition.Status, condition.Reason, condition.Message));
    }

    [Fact]
    public async Task SyncAsync_ServingCsrBeforeItsNode_LooksAgainLater()
    {
        _requests.Add(TestCsrs.KubeletServing("serving", "n1", ["n1"], ["192.168.1.10"]));

        var result = await _controller.SyncAsync("serving", CancellationToken.None);

        Assert.Equal(CsrApprovingController.NodeWait, result.RequeueAfter);
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_ServingCsrForForeignAddress_LeftPending()
    {
        _nodes.Add(new V1Node { Metadata = new V1ObjectMeta { Name = "n1" }, Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "192.168.1.10" }] } });
        _requests.Add(TestCsrs.KubeletServing("serving", "n1", [], ["192.168.1.99"]));

        var result = await _controller.SyncAsync("serving", CancellationToken.None);

        Assert.Null(result.RequeueAfter);
        Assert.Empty(_api.Calls);
    }

    private void Allow() =>
        _api.Answer(HttpMethod.Post, Reviews, HttpStatusCode.Created, new V1SubjectAccessReview { Spec = new V1SubjectAccessReviewSpec(), Status = new V1SubjectAccessReviewStatus { Allowed = true } });
}
