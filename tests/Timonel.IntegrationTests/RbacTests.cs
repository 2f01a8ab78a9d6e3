using System.Text.Json.Nodes;

namespace Timonel.IntegrationTests;

/// <summary>
/// RBAC seen through the real kubectl: the default policy, bindings in a namespace, service-account subjects,
/// aggregation into view, and escalation prevention. Users are the admin impersonating them (<c>--as</c>), which the
/// server authorizes exactly as a request made by that user.
/// </summary>
public abstract class RbacTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected RbacTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    [SkippableFact]
    public async Task ViewInOneNamespace_PodsListedThereSecretsAndOtherNamespacesForbidden()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-a");
        var b = await Cluster.CreateNamespaceAsync("rbac-b");
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", a)).EnsureSuccess();
        await WaitUntilAsync(() => CanIAsync("jane", a, "list", "pods"));

        var pods = await Cluster.Kubectl.RunAsync("get", "pods", "-n", a, "--as=jane");
        var secrets = await Cluster.Kubectl.RunAsync("get", "secrets", "-n", a, "--as=jane");
        var elsewhere = await Cluster.Kubectl.RunAsync("get", "pods", "-n", b, "--as=jane");

        Assert.Equal((0, $"No resources found in {a} namespace."), (pods.ExitCode, pods.Stderr.Trim()));
        Assert.Equal((1, $"Error from server (Forbidden): secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{a}\""), (secrets.ExitCode, secrets.Stderr.Trim()));
        Assert.Equal((1, $"Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"{b}\""), (elsewhere.ExitCode, elsewhere.Stderr.Trim()));
    }

    [SkippableFact]
    public async Task Forbidden_WholeStatusBody_AsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-body");

        using var http = Cluster.CreateAdminHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{a}/secrets");
        request.Headers.Add("Impersonate-User", "jane");

        using var response = await http.SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets is forbidden: User \"jane\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{{a}}\"","reason":"Forbidden","details":{"kind":"secrets"},"code":403}""",
            (await response.Content.ReadAsStringAsync()).Trim());
    }

    [SkippableFact]
    public async Task CanI_ViewAndEdit_NoThenYes()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-cani");
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", a)).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "joe-edit", "--clusterrole=edit", "--user=joe", "-n", a)).EnsureSuccess();
        await WaitUntilAsync(() => CanIAsync("jane", a, "get", "pods"));
        await WaitUntilAsync(() => CanIAsync("joe", a, "create", "pods"));

        var jane = await Cluster.Kubectl.RunAsync("auth", "can-i", "create", "pods", "--as=jane", "-n", a);
        var joe = await Cluster.Kubectl.RunAsync("auth", "can-i", "create", "pods", "--as=joe", "-n", a);

        Assert.Equal((1, "no"), (jane.ExitCode, jane.Stdout.Trim()));
        Assert.Equal((0, "yes"), (joe.ExitCode, joe.Stdout.Trim()));
    }

    [SkippableFact]
    public async Task CanIList_BoundToView_ListsTheBoundRulesAndTheDefaultPolicy()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-list");
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", a)).EnsureSuccess();
        await WaitUntilAsync(() => CanIAsync("jane", a, "list", "pods"));

        var result = (await Cluster.Kubectl.RunAsync("auth", "can-i", "--list", "--as=jane", "-n", a)).EnsureSuccess();
        var other = (await Cluster.Kubectl.RunAsync("auth", "can-i", "--list", "--as=jane", "-n", "default")).EnsureSuccess();

        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]$", result.Stdout);
        Assert.Matches(@"(?m)^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]$", result.Stdout);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$", result.Stdout);
        Assert.Matches(@"(?m)^\s+\[/apis/\*\]\s+\[\]\s+\[get\]$", result.Stdout);
        Assert.DoesNotContain("secrets", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^pods\s", other.Stdout);
    }

    [SkippableFact]
    public async Task ServiceAccountSubject_ImpersonatedServiceAccount_ListsPods()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-sa");
        await Cluster.EnsureServiceAccountAsync(a, "sa");
        var user = $"system:serviceaccount:{a}:sa";
        var before = await Cluster.Kubectl.RunAsync("get", "pods", "-n", a, "--as=" + user);
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "sa-view", "--clusterrole=view", $"--serviceaccount={a}:sa", "-n", a)).EnsureSuccess();
        await WaitUntilAsync(() => CanIAsync(user, a, "list", "pods"));

        var after = await Cluster.Kubectl.RunAsync("get", "pods", "-n", a, "--as=" + user);

        Assert.Equal(1, before.ExitCode);
        Assert.Contains($"User \"{user}\" cannot list resource \"pods\"", before.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, $"No resources found in {a} namespace."), (after.ExitCode, after.Stderr.Trim()));
    }

    [SkippableFact]
    public async Task BindingToAdmin_UserWithEditAndBindingRights_RefusedAsEscalation()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var a = await Cluster.CreateNamespaceAsync("rbac-esc");
        // edit alone may not write bindings at all; this Role lets joe create them, so the escalation check decides.
        (await Cluster.Kubectl.RunAsync("create", "role", "binder", "--verb=create", "--resource=rolebindings.rbac.authorization.k8s.io", "-n", a)).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "joe-binder", "--role=binder", "--user=joe", "-n", a)).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("create", "rolebinding", "joe-edit", "--clusterrole=edit", "--user=joe", "-n", a)).EnsureSuccess();
        await WaitUntilAsync(() => CanIAsync("joe", a, "create", "rolebindings.rbac.authorization.k8s.io"));
        await WaitUntilAsync(() => CanIAsync("joe", a, "create", "pods"));
        await WaitUntilAsync(async () => (await Cluster.Kubectl.RunAsync("get", "clusterrole", "admin", "-o", "json")).Stdout.Contains("\"rolebindings\"", StringComparison.Ordinal));

        var toAdmin = await Cluster.Kubectl.RunAsync("create", "rolebinding", "bob-admin", "--clusterrole=admin", "--user=bob", "-n", a, "--as=joe");
        var toEdit = await Cluster.Kubectl.RunAsync("create", "rolebinding", "bob-edit", "--clusterrole=edit", "--user=bob", "-n", a, "--as=joe");

        Assert.Equal(1, toAdmin.ExitCode);
        Assert.Contains(
            "rolebindings.rbac.authorization.k8s.io \"bob-admin\" is forbidden: user \"joe\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n",
            toAdmin.Stderr,
            StringComparison.Ordinal);
        Assert.Contains("{APIGroups:[\"rbac.authorization.k8s.io\"], Resources:[\"roles\"], Verbs:[\"create\" \"delete\" \"deletecollection\" \"get\" \"list\" \"patch\" \"update\" \"watch\"]}", toAdmin.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, toEdit.ExitCode);
    }

    [SkippableFact]
    public async Task AggregateToViewLabel_RoleRulesJoinView()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var name = "node-viewer-" + Guid.NewGuid().ToString("N")[..6];
        (await Cluster.Kubectl.RunAsync("create", "clusterrole", name, "--verb=get", "--resource=nodes")).EnsureSuccess();
        (await Cluster.Kubectl.RunAsync("label", "clusterrole", name, "rbac.authorization.k8s.io/aggregate-to-view=true")).EnsureSuccess();

        await WaitUntilAsync(async () => ViewHasNodes(await Cluster.Kubectl.RunAsync("get", "clusterrole", "view", "-o", "json")));
        (await Cluster.Kubectl.RunAsync("delete", "clusterrole", name)).EnsureSuccess();
        await WaitUntilAsync(async () => !ViewHasNodes(await Cluster.Kubectl.RunAsync("get", "clusterrole", "view", "-o", "json")));
    }

    [SkippableFact]
    public async Task DefaultPolicy_Roles_LabelledAndAnnotatedAsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);

        var roles = (await Cluster.Kubectl.RunAsync("get", "clusterroles", "-l", "kubernetes.io/bootstrapping=rbac-defaults", "-o", "name")).EnsureSuccess();
        var binding = (await Cluster.Kubectl.RunAsync("get", "clusterrolebinding", "cluster-admin", "-o", "json")).EnsureSuccess();
        var leader = (await Cluster.Kubectl.RunAsync("get", "role", "system::leader-locking-kube-scheduler", "-n", "kube-system", "-o", "name")).EnsureSuccess();

        foreach (var role in new[] { "cluster-admin", "admin", "edit", "view", "system:basic-user", "system:discovery", "system:node", "system:kube-scheduler", "system:controller:deployment-controller" })
        {
            Assert.Contains($"clusterrole.rbac.authorization.k8s.io/{role}\n", roles.Stdout + "\n", StringComparison.Ordinal);
        }

        var json = JsonNode.Parse(binding.Stdout)!;
        Assert.Equal("true", json["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"]!.GetValue<string>());
        Assert.Equal("""[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"system:masters"}]""", json["subjects"]!.ToJsonString());
        Assert.Equal("role.rbac.authorization.k8s.io/system::leader-locking-kube-scheduler", leader.Stdout.Trim());
    }

    private static bool ViewHasNodes(KubectlResult view) =>
        JsonNode.Parse(view.Stdout)!["rules"]?.AsArray().Any(r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() == "nodes")) == true;

    private async Task<bool> CanIAsync(string user, string ns, string verb, string resource) =>
        (await Cluster.Kubectl.RunAsync("auth", "can-i", verb, resource, "--as=" + user, "-n", ns)).Stdout.Trim() == "yes";

    // Bindings reach the authorizer, and roles their aggregates, through watches: what a user sees settles within moments.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(100);
        }
    }
}

public sealed class RbacTestsOnSqlite : RbacTests<SqliteClusterFixture>
{
    public RbacTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}
