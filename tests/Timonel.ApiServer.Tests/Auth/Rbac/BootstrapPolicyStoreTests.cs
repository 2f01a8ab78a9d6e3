using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

/// <summary>The default policy reconciled into real stores, and the authorizer following them through the watch cache.</summary>
public sealed class BootstrapPolicyStoreTests
{
    [Fact]
    public async Task EnsureAsync_SecondStart_NothingWritten()
    {
        await using var harness = await StartAsync();
        var first = await BootstrapPolicyReconciler.EnsureAsync(harness.Registry, harness.Cache, CancellationToken.None);
        await harness.Cache.WaitForRevisionAsync(first, CancellationToken.None);

        var second = await BootstrapPolicyReconciler.EnsureAsync(harness.Registry, harness.Cache, CancellationToken.None);

        Assert.True(first > 0);
        Assert.Equal(0, second);
        Assert.Equal(first, await harness.Storage.CurrentRevisionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnsureAsync_ProtectedAndEditedRoles_ProtectedUntouchedEditedRestoredUserRuleKept()
    {
        await using var harness = await StartAsync();
        await harness.Cache.WaitForRevisionAsync(await BootstrapPolicyReconciler.EnsureAsync(harness.Registry, harness.Cache, CancellationToken.None), CancellationToken.None);
        var roles = harness.Store("rbac.authorization.k8s.io", "clusterroles");
        await roles.GuaranteedUpdateAsync(null, "system:basic-user", r =>
        {
            r["rules"] = JsonNode.Parse("""[{"verbs":["get"],"apiGroups":["example.com"],"resources":["widgets"]}]""");
            return r;
        }, roles.Definition.Strategy, dryRun: false, CancellationToken.None);
        var edited = await roles.GuaranteedUpdateAsync(null, "system:discovery", r =>
        {
            r["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"] = "false";
            r["rules"] = new JsonArray();
            return r;
        }, roles.Definition.Strategy, dryRun: false, CancellationToken.None);
        await harness.Cache.WaitForRevisionAsync(long.Parse(edited["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);

        await BootstrapPolicyReconciler.EnsureAsync(harness.Registry, harness.Cache, CancellationToken.None);

        var basic = PolicyRule.ListFromJson(await roles.GetAsync(null, "system:basic-user", CancellationToken.None));
        Assert.Contains(basic, r => r.Resources.SequenceEqual(["widgets"]));
        Assert.Contains(basic, r => r.Resources.SequenceEqual(["selfsubjectreviews"]));
        Assert.Equal("[]", (await roles.GetAsync(null, "system:discovery", CancellationToken.None))["rules"]!.ToJsonString());
    }

    [Fact]
    public async Task Feed_BindingCreatedAndDeleted_AuthorizerFollows()
    {
        await using var harness = await StartAsync();
        var policy = new RbacPolicyCache();
        await using var feed = new RbacPolicyFeed(harness.Cache, policy, NullLogger<RbacPolicyFeed>.Instance);
        feed.Start();
        await feed.WaitForRevisionAsync(await BootstrapPolicyReconciler.EnsureAsync(harness.Registry, harness.Cache, CancellationToken.None), CancellationToken.None);
        var rbac = new RbacAuthorizer(policy);
        var jane = UserInfo.Authenticated("jane", []);
        var list = new RequestAttributes("list", "", "configmaps", null, "default", null, "");
        var bindings = harness.Store("rbac.authorization.k8s.io", "rolebindings");

        var created = await bindings.CreateAsync("default", JsonNode.Parse("""{"metadata":{"name":"jane"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:aggregate-to-view"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""")!.AsObject(), dryRun: false, CancellationToken.None);
        await feed.WaitForRevisionAsync(Revision(created), CancellationToken.None);
        var allowed = rbac.Authorize(jane, list).Outcome;
        var (deleted, _) = await bindings.DeleteAsync("default", "jane", new Timonel.ApiServer.Registry.DeleteOptions(), CancellationToken.None);
        await feed.WaitForRevisionAsync(await harness.Storage.CurrentRevisionAsync(CancellationToken.None), CancellationToken.None);

        Assert.Equal(AuthorizationOutcome.Allow, allowed);
        Assert.Equal(AuthorizationOutcome.NoOpinion, rbac.Authorize(jane, list).Outcome);
        Assert.NotNull(deleted);
    }

    private static long Revision(JsonObject obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<StoreHarness> StartAsync()
    {
        var harness = await StoreHarness.StartAsync();
        foreach (var ns in new[] { "kube-system", "kube-public" })
        {
            await harness.Store("", "namespaces").CreateAsync(null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, dryRun: false, CancellationToken.None);
        }

        return harness;
    }
}
