using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Scheduling;

/// <summary>PriorityClasses: SetDefaults_PriorityClass, ValidatePriorityClass(Update) and printPriorityClass.</summary>
public sealed class PriorityClassStrategyTests
{
    public static TheoryData<string, string?> Classes() => new()
    {
        { "{metadata: {name: high}, value: 1000}", null },
        { "{metadata: {name: system-node-critical}, value: 2000001000}", null },
        { "{metadata: {name: system-node-critical}, value: 5}",
            "PriorityClass.scheduling.k8s.io \"system-node-critical\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000" },
        { "{metadata: {name: system-cluster-critical}, value: 2000000000, globalDefault: true}",
            "PriorityClass.scheduling.k8s.io \"system-cluster-critical\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false" },
        { "{metadata: {name: system-mine}, value: 5}",
            "PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class" },
        { "{metadata: {name: huge}, value: 1000000001}",
            "PriorityClass.scheduling.k8s.io \"huge\" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000" },
        { "{metadata: {name: p}, value: 1, preemptionPolicy: Sometimes}",
            "PriorityClass.scheduling.k8s.io \"p\" is invalid: preemptionPolicy: Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\", \"Never\"" },
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void Validate_PriorityClass_AnswersUpstreamMessage(string fields, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("scheduling.k8s.io", "{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, " + fields[1..]));

    [Fact]
    public void ValidateUpdate_Value_IsForbidden() =>
        Assert.Equal(
            "PriorityClass.scheduling.k8s.io \"high\" is invalid: value: Forbidden: may not be changed in an update.",
            ValidationSteps.UpdateMessage("scheduling.k8s.io", "{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}", pc => pc["value"] = 2000));

    [Fact]
    public void Create_PriorityClass_DefaultsPreemptionPolicyAndPrintsIt()
    {
        var pc = StoreSteps.Create("scheduling.k8s.io", Examples.Parse("{apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}"), ns: null);

        Assert.Equal(["high", "1000", "false", "0s", "PreemptLowerPriority"], StoreSteps.Cells("scheduling.k8s.io", "PriorityClass", pc, new TableContext(StoreSteps.Created)));
    }

    [Fact]
    public void AdmitDelete_SystemClass_IsForbidden()
    {
        var strategy = (IDeleteAdmissionStrategy)StoreSteps.For("scheduling.k8s.io", "PriorityClass");

        var refused = Assert.Throws<StatusException>(() => strategy.AdmitDelete("system-node-critical"));
        strategy.AdmitDelete("high");

        Assert.Equal(403, refused.Code);
        Assert.Equal("priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted", refused.Message);
    }
}
