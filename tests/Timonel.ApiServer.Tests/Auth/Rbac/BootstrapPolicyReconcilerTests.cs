using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

public sealed class BootstrapPolicyReconcilerTests
{
    private static readonly BootstrapRole _view = BootstrapPolicy.ClusterRoles.Single(r => r.Name == "system:aggregate-to-view");

    [Fact]
    public void ReconcileRole_Unchanged_NothingToWrite()
    {
        var expected = BootstrapPolicyReconciler.ToObject(_view);

        Assert.Null(BootstrapPolicyReconciler.ReconcileRole((JsonObject)expected.DeepClone(), expected));
    }

    [Fact]
    public void ReconcileRole_UserAddedRuleAndLabel_KeptAndMissingRuleRestored()
    {
        var expected = BootstrapPolicyReconciler.ToObject(_view);
        var existing = (JsonObject)expected.DeepClone();
        var rules = existing["rules"]!.AsArray();
        rules.RemoveAt(0);
        rules.Add(JsonNode.Parse("""{"verbs":["get"],"apiGroups":["example.com"],"resources":["widgets"]}"""));
        existing["metadata"]!["labels"]!["team"] = "ops";

        var reconciled = BootstrapPolicyReconciler.ReconcileRole(existing, expected)!;

        var after = PolicyRule.ListFromJson(reconciled);
        Assert.Contains(after, r => r.Resources.SequenceEqual(["widgets"]));
        Assert.True(RuleCoverage.Covers(after, _view.Rules).Covers);
        Assert.Equal("ops", reconciled["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public void ReconcileRole_AutoupdateFalse_LeftAlone()
    {
        var expected = BootstrapPolicyReconciler.ToObject(_view);
        var existing = JsonNode.Parse("""{"kind":"ClusterRole","metadata":{"name":"system:aggregate-to-view","annotations":{"rbac.authorization.kubernetes.io/autoupdate":"false"}},"rules":[]}""")!.AsObject();

        Assert.Null(BootstrapPolicyReconciler.ReconcileRole(existing, expected));
    }

    [Fact]
    public void ReconcileRole_AggregatedRoleMissingSelector_SelectorAdded()
    {
        var expected = BootstrapPolicyReconciler.ToObject(BootstrapPolicy.ClusterRoles.Single(r => r.Name == "view"));
        var existing = JsonNode.Parse("""{"kind":"ClusterRole","metadata":{"name":"view"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"mine":"true"}}]}}""")!.AsObject();

        var reconciled = BootstrapPolicyReconciler.ReconcileRole(existing, expected)!;

        Assert.Equal(
            """[{"matchLabels":{"mine":"true"}},{"matchLabels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}}]""",
            reconciled["aggregationRule"]!["clusterRoleSelectors"]!.ToJsonString());
        Assert.Equal("rbac-defaults", reconciled["metadata"]!["labels"]!["kubernetes.io/bootstrapping"]!.GetValue<string>());
    }

    [Fact]
    public void ReconcileBinding_UserAddedSubject_KeptAndDefaultSubjectRestored()
    {
        var expected = BootstrapPolicyReconciler.ToObject(BootstrapPolicy.ClusterRoleBindings.Single(b => b.Name == "system:basic-user"));
        var existing = (JsonObject)expected.DeepClone();
        existing["subjects"] = JsonNode.Parse("""[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]""");

        var reconciled = BootstrapPolicyReconciler.ReconcileBinding(existing, expected)!;

        Assert.Equal(
            """[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"system:authenticated"}]""",
            reconciled["subjects"]!.ToJsonString());
    }

    [Fact]
    public void ToObject_DefaultRole_LabelledAndAnnotatedAsUpstream()
    {
        var role = BootstrapPolicyReconciler.ToObject(BootstrapPolicy.ClusterRoles.Single(r => r.Name == "system:basic-user"));

        Assert.Equal(
            """{"labels":{"kubernetes.io/bootstrapping":"rbac-defaults"},"annotations":{"rbac.authorization.kubernetes.io/autoupdate":"true"}}""",
            new JsonObject { ["labels"] = role["metadata"]!["labels"]!.DeepClone(), ["annotations"] = role["metadata"]!["annotations"]!.DeepClone() }.ToJsonString());
        Assert.Equal(
            """[{"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]},{"verbs":["create"],"apiGroups":["authentication.k8s.io"],"resources":["selfsubjectreviews"]}]""",
            role["rules"]!.ToJsonString());
    }
}
