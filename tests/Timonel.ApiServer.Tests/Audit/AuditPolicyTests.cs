using Timonel.ApiServer.Audit;
using Timonel.ApiServer.Auth;

namespace Timonel.ApiServer.Tests.Audit;

public sealed class AuditPolicyTests
{
    // The example policy of the Kubernetes auditing documentation (docs/tasks/debug/debug-cluster/audit.md), trimmed
    // to the rules these tests look at.
    private const string Example = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages:
          - "RequestReceived"
        rules:
          - level: RequestResponse
            resources:
            - group: ""
              resources: ["pods"]
          - level: Metadata
            resources:
            - group: ""
              resources: ["pods/log", "pods/status"]
          - level: None
            resources:
            - group: ""
              resources: ["configmaps"]
              resourceNames: ["controller-leader"]
          - level: None
            users: ["system:kube-proxy"]
            verbs: ["watch"]
            resources:
            - group: ""
              resources: ["endpoints", "services"]
          - level: None
            userGroups: ["system:authenticated"]
            nonResourceURLs:
            - "/api*"
            - "/version"
          - level: Request
            resources:
            - group: ""
              resources: ["configmaps"]
            namespaces: ["kube-system"]
          - level: Metadata
            resources:
            - group: ""
              resources: ["secrets", "configmaps"]
          - level: Request
            resources:
            - group: ""
            - group: "extensions"
          - level: Metadata
            omitStages:
              - "RequestReceived"
        """;

    private static readonly UserInfo _alice = UserInfo.Authenticated("alice", ["devs"]);
    private static readonly AuditPolicy _policy = AuditPolicy.Parse(Example);

    private static RequestAttributes Resource(string verb, string resource, string? ns = "default", string? name = null, string? subresource = null, string group = "") =>
        new(verb, group, resource, subresource, ns, name, "/");

    public static TheoryData<string, AuditLevel> Requests() => new()
    {
        { "get pods", AuditLevel.RequestResponse },
        { "get pods/log", AuditLevel.Metadata },
        { "get pods/status", AuditLevel.Metadata },
        { "get pods/exec", AuditLevel.Request },
        { "get configmaps controller-leader", AuditLevel.None },
        { "get configmaps other", AuditLevel.Metadata },
        { "get configmaps in kube-system", AuditLevel.Request },
        { "get secrets", AuditLevel.Metadata },
        { "get services", AuditLevel.Request },
        { "get deployments.apps", AuditLevel.Metadata },
        { "get /api/v1", AuditLevel.None },
        { "get /version", AuditLevel.None },
        { "get /healthz", AuditLevel.Metadata },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Evaluate_DocumentationExample_FirstMatchingRuleGivesTheLevel(string request, AuditLevel expected)
    {
        var attributes = request switch
        {
            "get pods" => Resource("get", "pods", name: "p"),
            "get pods/log" => Resource("get", "pods", name: "p", subresource: "log"),
            "get pods/status" => Resource("get", "pods", name: "p", subresource: "status"),
            "get pods/exec" => Resource("get", "pods", name: "p", subresource: "exec"),
            "get configmaps controller-leader" => Resource("get", "configmaps", name: "controller-leader"),
            "get configmaps other" => Resource("get", "configmaps", name: "other"),
            "get configmaps in kube-system" => Resource("get", "configmaps", ns: "kube-system", name: "other"),
            "get secrets" => Resource("get", "secrets", name: "s"),
            "get services" => Resource("get", "services", name: "s"),
            "get deployments.apps" => Resource("get", "deployments", name: "d", group: "apps"),
            _ => RequestAttributes.NonResource("get", request[4..]),
        };

        Assert.Equal(expected, _policy.Evaluate(_alice, attributes).Level);
    }

    [Fact]
    public void Evaluate_UsersAndVerbs_MatchOnlyTheNamedUserAndVerb()
    {
        var proxy = UserInfo.Authenticated("system:kube-proxy", []);

        Assert.Equal(AuditLevel.None, _policy.Evaluate(proxy, Resource("watch", "endpoints")).Level);
        Assert.Equal(AuditLevel.Request, _policy.Evaluate(proxy, Resource("list", "endpoints")).Level);
        Assert.Equal(AuditLevel.Request, _policy.Evaluate(_alice, Resource("watch", "endpoints")).Level);
    }

    [Fact]
    public void Evaluate_NoUser_SkipsRulesThatNameUsersOrGroups()
    {
        // A request no authenticator accepted: the userGroups rule for /api* cannot match it, the catch-all does.
        Assert.Equal(AuditLevel.Metadata, _policy.Evaluate(null, RequestAttributes.NonResource("get", "/api/v1")).Level);
    }

    [Fact]
    public void Evaluate_WildcardsOfResourcesAndSubresources_MatchAsUpstreamChecker()
    {
        var policy = AuditPolicy.Parse("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: RequestResponse
              resources: [{group: "", resources: ["*/status"]}]
            - level: Request
              resources: [{group: "", resources: ["deployments/*", "nodes"]}]
            - level: Metadata
              resources: [{group: "apps", resources: ["*"]}]
            """);

        Assert.Equal(AuditLevel.RequestResponse, policy.Evaluate(_alice, Resource("update", "pods", name: "p", subresource: "status")).Level);
        Assert.Equal(AuditLevel.None, policy.Evaluate(_alice, Resource("update", "pods", name: "p")).Level);
        Assert.Equal(AuditLevel.Request, policy.Evaluate(_alice, Resource("get", "deployments", name: "d", subresource: "scale")).Level);
        Assert.Equal(AuditLevel.Request, policy.Evaluate(_alice, Resource("get", "nodes", ns: null, name: "n")).Level);
        Assert.Equal(AuditLevel.None, policy.Evaluate(_alice, Resource("get", "nodes", ns: null, name: "n", subresource: "status", group: "x")).Level);
        Assert.Equal(AuditLevel.Metadata, policy.Evaluate(_alice, Resource("get", "deployments", name: "d", subresource: "scale", group: "apps")).Level);
    }

    [Fact]
    public void Evaluate_ClusterScopedResource_MatchesTheEmptyNamespace()
    {
        var policy = AuditPolicy.Parse("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: Request
              namespaces: [""]
            """);

        Assert.Equal(AuditLevel.Request, policy.Evaluate(_alice, Resource("get", "nodes", ns: null, name: "n")).Level);
        Assert.Equal(AuditLevel.None, policy.Evaluate(_alice, Resource("get", "pods", name: "p")).Level);
        Assert.Equal(AuditLevel.None, policy.Evaluate(_alice, RequestAttributes.NonResource("get", "/healthz")).Level);
    }

    [Fact]
    public void Evaluate_OmitStages_JoinsThePolicysAndTheRules()
    {
        var policy = AuditPolicy.Parse("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived"]
            omitManagedFields: true
            rules:
            - level: Metadata
              verbs: ["watch"]
              omitStages: ["ResponseStarted"]
              omitManagedFields: false
            - level: Metadata
            """);

        var watch = policy.Evaluate(_alice, Resource("watch", "pods"));
        var list = policy.Evaluate(_alice, Resource("list", "pods"));

        Assert.Equal([AuditStage.RequestReceived, AuditStage.ResponseStarted], watch.OmitStages.Order());
        Assert.False(watch.OmitManagedFields);
        Assert.Equal([AuditStage.RequestReceived], list.OmitStages);
        Assert.True(list.OmitManagedFields);
    }

    [Theory]
    [InlineData("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]", "expected apiVersion audit.k8s.io/v1")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]", "rules[0].level: Unsupported value: \"Everything\"")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{verbs: [get]}]", "rules[0].level: Required value")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, omitStages: [Sometime]}]", "rules[0].omitStages: Unsupported value: \"Sometime\"")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [/x], resources: [{group: \"\"}]}]", "cannot apply to both")]
    public void Parse_InvalidPolicy_SaysWhatIsWrong(string yaml, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => AuditPolicy.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PolicyWithoutRules_IsRefusedAsUpstream()
    {
        var path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: audit.k8s.io/v1\nkind: Policy\n");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => AuditPolicy.Load(path));

            Assert.Equal($"loaded illegal policy with 0 rules from file {path}", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
