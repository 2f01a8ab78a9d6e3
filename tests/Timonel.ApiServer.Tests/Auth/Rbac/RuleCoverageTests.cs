using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

public sealed class RuleCoverageTests
{
    private static PolicyRule Rule(string verbs, string groups, string resources, string names = "") =>
        new(verbs.Split(' '), groups.Split(' ').Select(g => g == "core" ? "" : g).ToArray(), resources.Split(' '), names.Length == 0 ? [] : names.Split(' '));

    public static TheoryData<PolicyRule, PolicyRule, bool> Cases => new()
    {
        { Rule("*", "*", "*"), Rule("get list", "apps", "deployments"), true },
        { Rule("get", "core", "pods"), Rule("get list", "core", "pods"), false },
        { Rule("get list", "core", "pods secrets"), Rule("list", "core", "secrets"), true },
        { Rule("get", "*", "*/scale"), Rule("get", "apps", "deployments/scale"), true },
        { Rule("get", "*", "*/scale"), Rule("get", "apps", "deployments"), false },
        { Rule("get", "core", "configmaps"), Rule("get", "core", "configmaps", "a"), true },
        { Rule("get", "core", "configmaps", "a"), Rule("get", "core", "configmaps"), false },
        { Rule("get", "core", "configmaps", "a b"), Rule("get", "core", "configmaps", "b"), true },
        { PolicyRule.Urls(["get"], ["/logs/*"]), PolicyRule.Urls(["get"], ["/logs/app"]), true },
        { PolicyRule.Urls(["get"], ["/logs"]), PolicyRule.Urls(["get"], ["/metrics"]), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Covers_OwnerAndServant_AsUpstreamsPolicyComparator(PolicyRule owner, PolicyRule servant, bool covers)
    {
        Assert.Equal(covers, RuleCoverage.Covers([owner], [servant]).Covers);
    }

    [Fact]
    public void Covers_PartlyHeld_MissingRulesCompactedAsUpstreamPrintsThem()
    {
        var (covers, missing) = RuleCoverage.Covers([Rule("list", "core", "secrets")], [Rule("get list watch", "core", "secrets"), Rule("get", "apps", "deployments", "web")]);

        Assert.False(covers);
        Assert.Equal(
            ["{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"watch\"]}", "{APIGroups:[\"apps\"], Resources:[\"deployments\"], ResourceNames:[\"web\"], Verbs:[\"get\"]}"],
            RuleCoverage.Compact(missing).Select(r => r.CompactString()).Order(StringComparer.Ordinal));
    }
}
