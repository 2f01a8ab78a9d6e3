using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Autoscaling;

namespace Timonel.ApiServer.Tests.Registry.Autoscaling;

/// <summary>HorizontalPodAutoscalers at v2 and v1: defaults, validation on the v2 form, and printHorizontalPodAutoscaler.</summary>
public sealed class HorizontalPodAutoscalerStrategyTests
{
    private const string Target = "scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}";

    [Fact]
    public void Create_V2WithoutMetrics_DefaultsMinReplicasAndCpuTarget()
    {
        var hpa = StoreSteps.Create("autoscaling", Examples.Parse("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {" + Target + ", maxReplicas: 5}}"));

        Assert.Equal("1", JsonPath.Json(hpa, "spec/minReplicas"));
        Assert.Equal("[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}}]", JsonPath.Json(hpa, "spec/metrics"));
        Assert.Equal("{\"desiredReplicas\":0}", JsonPath.Json(hpa, "status"));
        Assert.Equal("missing", JsonPath.Json(hpa, "spec/behavior"));
    }

    [Fact]
    public void Create_V2WithPartialBehavior_FillsTheDefaultRules()
    {
        var hpa = StoreSteps.Create("autoscaling", Examples.Parse("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {" + Target + ", maxReplicas: 5, behavior: {scaleDown: {stabilizationWindowSeconds: 60}}}}"));

        Assert.Equal("{\"stabilizationWindowSeconds\":0,\"selectPolicy\":\"Max\",\"policies\":[{\"type\":\"Pods\",\"value\":4,\"periodSeconds\":15},{\"type\":\"Percent\",\"value\":100,\"periodSeconds\":15}]}", JsonPath.Json(hpa, "spec/behavior/scaleUp"));
        Assert.Equal("{\"stabilizationWindowSeconds\":60,\"selectPolicy\":\"Max\",\"policies\":[{\"type\":\"Percent\",\"value\":100,\"periodSeconds\":15}]}", JsonPath.Json(hpa, "spec/behavior/scaleDown"));
    }

    public static TheoryData<string, string?> Specs() => new()
    {
        { "{" + Target + ", maxReplicas: 5}", null },
        { "{" + Target + ", minReplicas: 0, maxReplicas: 0}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: [spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, spec.maxReplicas: Invalid value: 0: must be greater than 0]" },
        { "{" + Target + ", minReplicas: 3, maxReplicas: 2}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`" },
        { "{scaleTargetRef: {kind: Deployment}, maxReplicas: 5}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.scaleTargetRef.name: Required value" },
        { "{" + Target + ", maxReplicas: 5, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization" },
        { "{" + Target + ", maxReplicas: 5, metrics: [{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}}]}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: [spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0, spec.metrics[0].pods: Required value: must populate information for the given metric source]" },
        { "{" + Target + ", maxReplicas: 5, metrics: [{type: Load}]}",
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].type: Unsupported value: \"Load\": supported values: \"ContainerResource\", \"External\", \"Object\", \"Pods\", \"Resource\"" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Validate_V2_AnswersUpstreamMessage(string spec, string? expected) =>
        Assert.Equal(expected, ValidationSteps.CreateMessage("autoscaling", "{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: " + spec + "}"));

    [Fact]
    public void Validate_V1_ChecksItsV2Form() =>
        Assert.Equal(
            "HorizontalPodAutoscaler.autoscaling \"web\" is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: -5: must be greater than 0",
            ValidationSteps.CreateMessage("autoscaling", "{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {" + Target + ", maxReplicas: 5, targetCPUUtilizationPercentage: -5}}"));

    [Fact]
    public void Create_V1_DefaultsMinReplicasAndZeroStatus()
    {
        var hpa = StoreSteps.Create("autoscaling", Examples.Parse("{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {" + Target + ", maxReplicas: 5}}"));

        Assert.Equal("1", JsonPath.Json(hpa, "spec/minReplicas"));
        Assert.Equal("{\"currentReplicas\":0,\"desiredReplicas\":0}", JsonPath.Json(hpa, "status"));
    }

    [Theory]
    [InlineData("[]", "", "<none>")]
    [InlineData("[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]", "", "cpu: <unknown>/50%")]
    [InlineData("[{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]", "[{type: Resource, resource: {name: cpu, current: {averageUtilization: 12}}}]", "cpu: 12%/50%")]
    [InlineData("[{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}, {type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: '10'}}}, {type: External, external: {metric: {name: queue}, target: {type: AverageValue, averageValue: '30'}}}]", "",
        "memory: <unknown>/100Mi, <unknown>/10 + 1 more...")]
    [InlineData("[{type: Object, object: {describedObject: {kind: Service, name: s}, metric: {name: rps}, target: {type: Value, value: '2'}}}, {type: External, external: {metric: {name: queue}, target: {type: AverageValue, averageValue: '30'}}}]", "",
        "<unknown>/2, <unknown>/30 (avg)")]
    public void Columns_Targets_AsKubectlGetHpa(string metrics, string current, string expected)
    {
        var hpa = Examples.Parse("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web, creationTimestamp: '2026-01-02T03:04:05Z'}, spec: {" + Target + ", maxReplicas: 5, metrics: " + metrics + "}, status: {currentReplicas: 2}}");
        if (current.Length > 0)
        {
            hpa["status"]!["currentMetrics"] = Examples.Parse("{m: " + current + "}")["m"]!.DeepClone();
        }

        Assert.Equal(["web", "Deployment/web", expected, "<unset>", "5", "2", "0s"], StoreSteps.Cells("autoscaling", "HorizontalPodAutoscaler", hpa, new TableContext(StoreSteps.Created)));
    }
}
