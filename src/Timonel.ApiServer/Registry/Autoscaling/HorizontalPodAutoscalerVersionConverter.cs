using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscalers to and from autoscaling/v2, the form they are stored in (upstream's internal
/// type is v2-shaped and its storage version is v2). What v1 cannot say travels in upstream's round-trip annotations
/// (pkg/apis/autoscaling/v1/conversion.go; the names in pkg/apis/autoscaling/annotations.go): metrics other than a CPU
/// utilization target, the current metrics, the conditions and the behavior, each as JSON. A v1 object without any
/// metric gets upstream's implicit 80% CPU target.
/// </summary>
public sealed class HorizontalPodAutoscalerVersionConverter : IVersionConverter
{
    public const string MetricSpecsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    public const string MetricStatusesAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    public const string BehaviorAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    /// <summary>autoscaling.DefaultCPUUtilization.</summary>
    public const int DefaultCpuUtilization = 80;

    private static readonly string[] _roundTripAnnotations = [MetricSpecsAnnotation, MetricStatusesAnnotation, ConditionsAnnotation, BehaviorAnnotation];

    public static HorizontalPodAutoscalerVersionConverter Instance { get; } = new();

    public JsonObject ToStorage(JsonObject served)
    {
        var annotations = served.ObjectAt("metadata", "annotations");
        var result = CopyTop(served, "autoscaling/v2", out var metadata);
        var spec = served.ObjectAt("spec") ?? [];
        var v2Spec = CopyFields(spec, "scaleTargetRef", "minReplicas", "maxReplicas");
        var metrics = new JsonArray();
        foreach (var metric in ParseArray(annotations, MetricSpecsAnnotation).Objects())
        {
            metrics.Add(MetricConversion.SpecFromV1(metric));
        }

        if (spec.LongAt("targetCPUUtilizationPercentage") is { } cpu)
        {
            metrics.Add(CpuUtilization(cpu));
        }

        if (metrics.Count == 0)
        {
            metrics.Add(CpuUtilization(DefaultCpuUtilization));
        }

        v2Spec["metrics"] = metrics;
        if (Parse(annotations, BehaviorAnnotation) is JsonObject behavior)
        {
            v2Spec["behavior"] = behavior;
        }

        result["spec"] = v2Spec;
        if (served.ObjectAt("status") is { } status)
        {
            var v2Status = CopyFields(status, "observedGeneration", "lastScaleTime");
            if (status.LongAt("currentReplicas") is { } current and not 0)
            {
                v2Status["currentReplicas"] = current;
            }

            v2Status["desiredReplicas"] = status.LongAt("desiredReplicas") ?? 0;
            var currentMetrics = new JsonArray([.. ParseArray(annotations, MetricStatusesAnnotation).Objects().Select(m => (JsonNode)MetricConversion.StatusFromV1(m))]);
            if (currentMetrics.Count == 0 && status.LongAt("currentCPUUtilizationPercentage") is { } currentCpu)
            {
                currentMetrics.Add(new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = currentCpu } },
                });
            }

            if (currentMetrics.Count > 0)
            {
                v2Status["currentMetrics"] = currentMetrics;
            }

            if (ParseArray(annotations, ConditionsAnnotation) is { Count: > 0 } conditions)
            {
                v2Status["conditions"] = conditions;
            }

            result["status"] = v2Status;
        }

        DropRoundTripAnnotations(metadata);
        return result;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        var result = CopyTop(stored, "autoscaling/v1", out var metadata);
        DropRoundTripAnnotations(metadata);
        var spec = stored.ObjectAt("spec") ?? [];
        var v1Spec = CopyFields(spec, "scaleTargetRef", "minReplicas", "maxReplicas");
        var others = new JsonArray();
        var cpuFound = false;
        foreach (var metric in spec.ArrayAt("metrics").Objects())
        {
            if (!cpuFound && CpuTarget(metric) is { } cpu)
            {
                // The first CPU utilization target is v1's own field; it is not repeated in the annotation.
                v1Spec["targetCPUUtilizationPercentage"] = cpu;
                cpuFound = true;
                continue;
            }

            others.Add(MetricConversion.SpecToV1(metric));
        }

        result["spec"] = v1Spec;
        var annotations = new JsonObject();
        if (others.Count > 0)
        {
            annotations[MetricSpecsAnnotation] = others.ToJsonString();
        }

        if (stored.ObjectAt("status") is { } status)
        {
            var v1Status = CopyFields(status, "observedGeneration", "lastScaleTime");
            v1Status["currentReplicas"] = status.LongAt("currentReplicas") ?? 0;
            v1Status["desiredReplicas"] = status.LongAt("desiredReplicas") ?? 0;
            var currentMetrics = status.ArrayAt("currentMetrics");
            foreach (var metric in currentMetrics.Objects())
            {
                if (metric.StringAt("type") == "Resource" && metric.StringAt("resource", "name") == "cpu" && metric.LongAt("resource", "current", "averageUtilization") is { } utilization)
                {
                    v1Status["currentCPUUtilizationPercentage"] = utilization;
                }
            }

            if (currentMetrics is { Count: > 0 })
            {
                annotations[MetricStatusesAnnotation] = new JsonArray([.. currentMetrics.Objects().Select(m => (JsonNode)MetricConversion.StatusToV1(m))]).ToJsonString();
            }

            if (status.ArrayAt("conditions") is { Count: > 0 } conditions)
            {
                annotations[ConditionsAnnotation] = conditions.ToJsonString();
            }

            result["status"] = v1Status;
        }

        if (spec.ObjectAt("behavior") is { } behavior)
        {
            annotations[BehaviorAnnotation] = behavior.ToJsonString();
        }

        if (annotations.Count > 0)
        {
            var target = metadata.Child("annotations");
            foreach (var (key, value) in annotations)
            {
                target[key] = value?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>The averageUtilization of a CPU resource metric, or null for any other metric.</summary>
    public static long? CpuTarget(JsonObject metric) =>
        metric.StringAt("type") == "Resource" && metric.StringAt("resource", "name") == "cpu" ? metric.LongAt("resource", "target", "averageUtilization") : null;

    public static JsonObject CpuUtilization(long percent) => new()
    {
        ["type"] = "Resource",
        ["resource"] = new JsonObject
        {
            ["name"] = "cpu",
            ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = percent },
        },
    };

    /// <summary>apiVersion, kind and a copy of metadata; spec and status are for the caller to convert.</summary>
    private static JsonObject CopyTop(JsonObject source, string apiVersion, out JsonObject metadata)
    {
        metadata = source.ObjectAt("metadata")?.DeepClone().AsObject() ?? [];
        return new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = "HorizontalPodAutoscaler",
            ["metadata"] = metadata,
        };
    }

    private static JsonObject CopyFields(JsonObject source, params string[] fields)
    {
        var result = new JsonObject();
        foreach (var field in fields)
        {
            if (source[field] is { } value)
            {
                result[field] = value.DeepClone();
            }
        }

        return result;
    }

    private static void DropRoundTripAnnotations(JsonObject metadata)
    {
        if (metadata.ObjectAt("annotations") is not { } annotations)
        {
            return;
        }

        foreach (var name in _roundTripAnnotations)
        {
            annotations.Remove(name);
        }

        if (annotations.Count == 0)
        {
            metadata.Remove("annotations");
        }
    }

    /// <summary>The JSON in an annotation, or null when absent or not JSON (upstream ignores what does not decode).</summary>
    private static JsonNode? Parse(JsonObject? annotations, string name)
    {
        if (annotations?.StringAt(name) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonArray ParseArray(JsonObject? annotations, string name) => Parse(annotations, name) as JsonArray ?? [];
}
