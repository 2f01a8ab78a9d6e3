using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry.Autoscaling;

namespace Timonel.ApiServer.Tests.Registry.Autoscaling;

/// <summary>autoscaling/v1 to and from v2 as upstream's conversion.go does it, with the round-trip annotations.</summary>
public sealed class HorizontalPodAutoscalerVersionConverterTests
{
    private static readonly HorizontalPodAutoscalerVersionConverter _converter = HorizontalPodAutoscalerVersionConverter.Instance;

    [Fact]
    public void FromStorage_V2WithSeveralMetrics_KeepsCpuInV1AndTheRestInAnnotations()
    {
        var v2 = Examples.Parse("""
            {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web, annotations: {team: a}},
             spec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 5,
               metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}},
                         {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}],
               behavior: {scaleDown: {stabilizationWindowSeconds: 60}}},
             status: {currentReplicas: 2, desiredReplicas: 3,
               currentMetrics: [{type: Resource, resource: {name: cpu, current: {averageUtilization: 40}}}],
               conditions: [{type: AbleToScale, status: 'True', reason: ReadyForNewScale}]}}
            """);

        var v1 = _converter.FromStorage(v2);

        Assert.Equal("\"autoscaling/v1\"", JsonPath.Json(v1, "apiVersion"));
        Assert.Equal("60", JsonPath.Json(v1, "spec/targetCPUUtilizationPercentage"));
        Assert.Equal("40", JsonPath.Json(v1, "status/currentCPUUtilizationPercentage"));
        Assert.Equal("{\"currentReplicas\":2,\"desiredReplicas\":3,\"currentCPUUtilizationPercentage\":40}", JsonPath.Json(v1, "status"));
        var annotations = v1["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("a", (string?)annotations["team"]);
        Assert.Equal("[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"100Mi\"}}]", (string?)annotations[HorizontalPodAutoscalerVersionConverter.MetricSpecsAnnotation]);
        Assert.Equal("[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"currentAverageUtilization\":40}}]", (string?)annotations[HorizontalPodAutoscalerVersionConverter.MetricStatusesAnnotation]);
        Assert.Equal("[{\"type\":\"AbleToScale\",\"status\":\"True\",\"reason\":\"ReadyForNewScale\"}]", (string?)annotations[HorizontalPodAutoscalerVersionConverter.ConditionsAnnotation]);
        Assert.NotNull(annotations[HorizontalPodAutoscalerVersionConverter.BehaviorAnnotation]);

        var back = _converter.ToStorage(v1);

        Assert.Equal(JsonPath.Json(v2, "spec/behavior"), JsonPath.Json(back, "spec/behavior"));
        Assert.Equal("{\"team\":\"a\"}", JsonPath.Json(back, "metadata/annotations"));
        // The CPU target comes back last: upstream appends it after the annotation's metrics.
        Assert.Equal(JsonPath.Json(v2, "spec/metrics/0"), JsonPath.Json(back, "spec/metrics/0"));
        Assert.Equal(JsonPath.Json(v2, "spec/metrics/1"), JsonPath.Json(back, "spec/metrics/1"));
        Assert.Equal(JsonPath.Json(v2, "status/conditions"), JsonPath.Json(back, "status/conditions"));
        Assert.Equal(JsonPath.Json(v2, "status/currentMetrics"), JsonPath.Json(back, "status/currentMetrics"));
    }

    [Fact]
    public void ToStorage_V1WithoutTarget_GetsTheImplicitCpuTarget()
    {
        var v2 = _converter.ToStorage(Examples.Parse("{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 3}}"));

        Assert.Equal("[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}}]", JsonPath.Json(v2, "spec/metrics"));
        Assert.Equal("80", JsonPath.Json(_converter.FromStorage(v2), "spec/targetCPUUtilizationPercentage"));
    }

    [Theory]
    [InlineData("{type: Pods, pods: {metric: {name: qps, selector: {matchLabels: {a: b}}}, target: {type: AverageValue, averageValue: '10'}}}")]
    [InlineData("{type: Object, object: {describedObject: {apiVersion: v1, kind: Service, name: s}, metric: {name: rps}, target: {type: Value, value: '2'}}}")]
    [InlineData("{type: Object, object: {describedObject: {apiVersion: v1, kind: Service, name: s}, metric: {name: rps}, target: {type: AverageValue, averageValue: '2'}}}")]
    [InlineData("{type: External, external: {metric: {name: queue}, target: {type: Value, value: '30'}}}")]
    [InlineData("{type: ContainerResource, containerResource: {name: cpu, container: app, target: {type: Utilization, averageUtilization: 70}}}")]
    public void SpecToV1_ThenBack_IsTheSameMetric(string metric)
    {
        var v2 = Examples.Parse(metric);

        Assert.True(JsonNode.DeepEquals(v2, MetricConversion.SpecFromV1(MetricConversion.SpecToV1(v2))));
    }
}
