using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Policy;

/// <summary>PodDisruptionBudgets: ValidatePodDisruptionBudgetSpec and printPodDisruptionBudget.</summary>
public sealed class PodDisruptionBudgetStrategyTests
{
    // The IntOrString values print as Go's %#v of the struct, as upstream's field errors show them.
    public static TheoryData<string, string?> Specs() => new()
    {
        { "{minAvailable: 1, selector: {matchLabels: {app: web}}}", null },
        { "{maxUnavailable: 50%}", null },
        { "{minAvailable: -1}", "PodDisruptionBudget.policy \"pdb\" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0" },
        { "{maxUnavailable: 150%}", "PodDisruptionBudget.policy \"pdb\" is invalid: spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%" },
        { "{minAvailable: half}", "PodDisruptionBudget.policy \"pdb\" is invalid: spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" },
        { "{selector: {matchExpressions: [{key: app, operator: Near}]}}", "PodDisruptionBudget.policy \"pdb\" is invalid: spec.selector.matchExpressions[0].operator: Invalid value: \"Near\": not a valid selector operator" },
        { "{unhealthyPodEvictionPolicy: Sometimes}", "PodDisruptionBudget.policy \"pdb\" is invalid: spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Validate_PodDisruptionBudget_AnswersUpstreamMessage(string spec, string? expected) =>
        Assert.Equal(expected, Message(spec));

    [Fact]
    public void Validate_BothMinAvailableAndMaxUnavailable_ShowsTheSpecStruct()
    {
        var message = Message("{minAvailable: 1, maxUnavailable: 1}");

        Assert.StartsWith("PodDisruptionBudget.policy \"pdb\" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(", message, StringComparison.Ordinal);
        Assert.EndsWith("}: minAvailable and maxUnavailable cannot be both set", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PodDisruptionBudget_ZeroStatusAndColumns()
    {
        var pdb = StoreSteps.Create("policy", Examples.Parse("{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: pdb}, spec: {minAvailable: 50%}}"));

        Assert.Equal("{\"disruptionsAllowed\":0,\"currentHealthy\":0,\"desiredHealthy\":0,\"expectedPods\":0}", JsonPath.Json(pdb, "status"));
        Assert.Equal(["pdb", "50%", "N/A", "0", "0s"], StoreSteps.Cells("policy", "PodDisruptionBudget", pdb, new TableContext(StoreSteps.Created)));
    }

    private static string? Message(string spec) =>
        ValidationSteps.CreateMessage("policy", "{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: pdb}, spec: " + spec + "}");
}
