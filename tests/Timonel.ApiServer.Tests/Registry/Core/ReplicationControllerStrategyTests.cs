using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

/// <summary>ReplicationControllers: SetDefaults_ReplicationController, ValidateReplicationController and printReplicationController.</summary>
public sealed class ReplicationControllerStrategyTests
{
    private const string Template = "template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}";

    [Fact]
    public void Create_WithoutSelectorOrLabels_TakesBothFromTheTemplate()
    {
        var rc = StoreSteps.Create("", Examples.Parse("{apiVersion: v1, kind: ReplicationController, metadata: {name: web}, spec: {" + Template + "}}"));

        Assert.Equal("{\"app\":\"web\"}", JsonPath.Json(rc, "spec/selector"));
        Assert.Equal("{\"app\":\"web\"}", JsonPath.Json(rc, "metadata/labels"));
        Assert.Equal("1", JsonPath.Json(rc, "spec/replicas"));
        Assert.Equal("{\"replicas\":0}", JsonPath.Json(rc, "status"));
        Assert.Equal("\"Always\"", JsonPath.Json(rc, "spec/template/spec/restartPolicy"));
    }

    [Fact]
    public void Create_WithOwnSelectorAndLabels_KeepsThem()
    {
        var rc = StoreSteps.Create("", Examples.Parse("{apiVersion: v1, kind: ReplicationController, metadata: {name: web, labels: {tier: x}}, spec: {selector: {app: web}, replicas: 3, " + Template + "}}"));

        Assert.Equal("{\"tier\":\"x\"}", JsonPath.Json(rc, "metadata/labels"));
        Assert.Equal("3", JsonPath.Json(rc, "spec/replicas"));
    }

    public static TheoryData<string, string?> Specs() => new()
    {
        { "{" + Template + "}", null },
        { "{replicas: -1, " + Template + "}", "ReplicationController \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "{selector: {app: other}, " + Template + "}",
            "ReplicationController \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: selector does not match labels in spec.template" },
        { "{template: {metadata: {}, spec: {containers: [{name: c, image: nginx}]}}}", "ReplicationController \"web\" is invalid: spec.selector: Required value" },
        { "{selector: {app: web}}", "ReplicationController \"web\" is invalid: spec.template: Required value" },
        { "{template: {metadata: {labels: {app: web}}, spec: {restartPolicy: Never, activeDeadlineSeconds: 5, containers: [{name: c, image: nginx}]}}}",
            "ReplicationController \"web\" is invalid: [spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\", spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported]" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Validate_ReplicationController_AnswersUpstreamMessage(string spec, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("", "{apiVersion: v1, kind: ReplicationController, metadata: {name: web}, spec: " + spec + "}"));

    [Fact]
    public void Columns_ReplicationController_AsKubectlGetRcWide()
    {
        var rc = StoreSteps.Create("", Examples.Parse("{apiVersion: v1, kind: ReplicationController, metadata: {name: web}, spec: {replicas: 2, " + Template + "}}"));
        rc["status"] = JsonNode.Parse("{\"replicas\":2,\"readyReplicas\":1}");

        var cells = StoreSteps.Cells("", "ReplicationController", rc, new TableContext(StoreSteps.Created.AddMinutes(3)));

        Assert.Equal(["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"], StoreSteps.For("", "ReplicationController").Columns.Select(c => c.Name));
        Assert.Equal(["web", "2", "2", "1", "3m", "c", "nginx", "app=web"], cells);
    }
}
