using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

public sealed class EscalationCheckTests
{
    private const string PodReader = """{"kind":"ClusterRole","metadata":{"name":"pod-reader"},"rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods"]}]}""";
    private const string JaneReadsPodsInA = """{"kind":"RoleBinding","metadata":{"namespace":"a","name":"jane"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-reader"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}""";

    private static readonly AuthorizerChain _chain = TestPolicy.DefaultChain(PodReader, JaneReadsPodsInA);
    private static readonly UserInfo _jane = UserInfo.Authenticated("jane", []);

    [Fact]
    public void Confirm_RulesHeld_Allowed()
    {
        Assert.Null(EscalationCheck.Confirm(_chain, _jane, "a", [new PolicyRule(["get", "list"], [""], ["pods"])]));
    }

    [Fact]
    public void Confirm_RulesHeldElsewhereOnly_UpstreamsMessage()
    {
        var message = EscalationCheck.Confirm(_chain, _jane, "b", [new PolicyRule(["get"], [""], ["pods"])]);

        Assert.Equal("user \"jane\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}", message);
    }

    [Fact]
    public void Confirm_SeveralMissing_OneLineEachSorted()
    {
        var message = EscalationCheck.Confirm(_chain, _jane, "a", [new PolicyRule(["get", "delete"], [""], ["secrets", "pods"])]);

        Assert.Equal(
            "user \"jane\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\"]}",
            message);
    }
}
