using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Node;

namespace Timonel.ApiServer.Tests.Auth.Node;

public sealed class NodeAuthorizerTests
{
    private static readonly UserInfo _n1 = UserInfo.Authenticated("system:node:n1", [NodeIdentity.NodesGroup]);
    private readonly NodeGraph _graph = new();
    private readonly NodeAuthorizer _authorizer;

    public NodeAuthorizerTests()
    {
        _authorizer = new NodeAuthorizer(_graph);
        _graph.SetPod(NodeGraphTests.Pod("web", "n1"));
        _graph.SetPod(NodeGraphTests.Pod("other", "n2", ns: "team"));
    }

    public static TheoryData<RequestAttributes, bool> Requests => new()
    {
        { Resource("get", "", "secrets", "default", "mounted"), true },
        { Resource("get", "", "secrets", "default", "unrelated"), false },
        { Resource("get", "", "secrets", "team", "mounted"), false },
        { Resource("list", "", "secrets", "default", null), false },
        { Resource("update", "", "secrets", "default", "mounted"), false },
        { Resource("get", "", "configmaps", "default", "settings"), true },
        { Resource("get", "", "persistentvolumeclaims", "default", "data"), true },
        { Resource("create", "", "serviceaccounts", "default", "robot", "token"), true },
        { Resource("create", "", "serviceaccounts", "team", "robot", "token"), false },
        { Resource("get", "", "pods", "default", "web"), true },
        { Resource("get", "", "pods", "team", "other"), false },
        { Resource("list", "", "pods", null, null) with { FieldSelector = "spec.nodeName=n1" }, true },
        { Resource("list", "", "pods", null, null) with { FieldSelector = "spec.nodeName=n2" }, false },
        { Resource("list", "", "pods", null, null), false },
        { Resource("update", "", "pods", "team", "other", "status"), true },
        { Resource("create", "", "pods", "default", "mirror"), true },
        { Resource("update", "", "pods", "default", "web"), false },
        { Resource("get", "", "nodes", null, "n1"), true },
        { Resource("get", "", "nodes", null, "n2"), false },
        { Resource("patch", "", "nodes", null, "n2"), true },
        { Resource("update", "", "nodes", null, "n1", "status"), true },
        { Resource("delete", "", "nodes", null, "n1"), false },
        { Resource("update", "coordination.k8s.io", "leases", "kube-node-lease", "n1"), true },
        { Resource("update", "coordination.k8s.io", "leases", "kube-node-lease", "n2"), false },
        { Resource("update", "coordination.k8s.io", "leases", "kube-system", "n1"), false },
        { Resource("create", "", "events", "default", null), true },
        { Resource("list", "", "services", null, null), true },
        { Resource("create", "certificates.k8s.io", "certificatesigningrequests", null, null), true },
        { Resource("list", "apps", "deployments", null, null), false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Authorize_NodeN1_AllowsAsUpstreamsNodeAuthorizer(RequestAttributes request, bool allowed)
    {
        var decision = _authorizer.Authorize(_n1, request);

        Assert.Equal(allowed ? AuthorizationOutcome.Allow : AuthorizationOutcome.NoOpinion, decision.Outcome);
    }

    [Fact]
    public void Authorize_UnrelatedSecret_UpstreamsReason()
    {
        var decision = _authorizer.Authorize(_n1, Resource("get", "", "secrets", "default", "unrelated"));

        Assert.Equal("no relationship found between node 'n1' and this object", decision.Reason);
    }

    [Fact]
    public void Authorize_AnotherNodesObject_UpstreamsReason()
    {
        var decision = _authorizer.Authorize(_n1, Resource("get", "", "nodes", null, "n2"));

        Assert.Equal("node 'n1' cannot read 'n2', only its own Node object", decision.Reason);
    }

    [Fact]
    public void Authorize_PodRemoved_SecretNoLongerReadable()
    {
        _graph.RemovePod(NodeGraphTests.Pod("web", "n1"));

        var decision = _authorizer.Authorize(_n1, Resource("get", "", "secrets", "default", "mounted"));

        Assert.Equal(AuthorizationOutcome.NoOpinion, decision.Outcome);
    }

    [Theory]
    [InlineData("system:node:n1", "dev")]
    [InlineData("jane", "system:nodes")]
    public void Authorize_NotANode_NoOpinionWithoutReason(string name, string group)
    {
        var decision = _authorizer.Authorize(UserInfo.Authenticated(name, [group]), Resource("get", "", "secrets", "default", "mounted"));

        Assert.Equal(AuthorizationDecision.NoOpinion, decision);
    }

    [Fact]
    public void Authorize_NodeWithoutName_UnknownNode()
    {
        var decision = _authorizer.Authorize(UserInfo.Authenticated("system:node:", [NodeIdentity.NodesGroup]), Resource("list", "", "services", null, null));

        Assert.Equal("unknown node for user \"system:node:\"", decision.Reason);
    }

    private static RequestAttributes Resource(string verb, string group, string resource, string? ns, string? name, string? subresource = null) =>
        new(verb, group, resource, subresource, ns, name, "");
}
