using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// autoscaling/v2 MetricSpec and MetricStatus to and from the autoscaling/v1 forms kept in the round-trip annotations
/// (upstream's pkg/apis/autoscaling/v1/conversion.go: Convert_autoscaling_MetricSpec_To_v1_MetricSpec and back).
/// </summary>
public static class MetricConversion
{
    public static JsonObject SpecToV1(JsonObject metric)
    {
        var type = metric.StringAt("type") ?? "";
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" when metric.ObjectAt("resource") is { } resource:
                result["resource"] = Copy(new JsonObject { ["name"] = Clone(resource["name"]) }, ("targetAverageUtilization", resource.At("target", "averageUtilization")), ("targetAverageValue", resource.At("target", "averageValue")));
                break;
            case "ContainerResource" when metric.ObjectAt("containerResource") is { } resource:
                result["containerResource"] = Copy(new JsonObject { ["name"] = Clone(resource["name"]), ["container"] = Clone(resource["container"]) }, ("targetAverageUtilization", resource.At("target", "averageUtilization")), ("targetAverageValue", resource.At("target", "averageValue")));
                break;
            case "Pods" when metric.ObjectAt("pods") is { } pods:
                result["pods"] = Copy(new JsonObject { ["metricName"] = Clone(pods.At("metric", "name")) }, ("targetAverageValue", pods.At("target", "averageValue")), ("selector", pods.At("metric", "selector")));
                break;
            case "Object" when metric.ObjectAt("object") is { } obj:
                result["object"] = Copy(new JsonObject { ["target"] = Clone(obj["describedObject"]), ["metricName"] = Clone(obj.At("metric", "name")) }, ("targetValue", obj.At("target", "value")), ("selector", obj.At("metric", "selector")), ("averageValue", obj.At("target", "averageValue")));
                break;
            case "External" when metric.ObjectAt("external") is { } external:
                result["external"] = Copy(new JsonObject { ["metricName"] = Clone(external.At("metric", "name")) }, ("metricSelector", external.At("metric", "selector")), ("targetValue", external.At("target", "value")), ("targetAverageValue", external.At("target", "averageValue")));
                break;
        }

        return result;
    }

    public static JsonObject SpecFromV1(JsonObject metric)
    {
        var type = metric.StringAt("type") ?? "";
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" when metric.ObjectAt("resource") is { } resource:
                result["resource"] = new JsonObject { ["name"] = Clone(resource["name"]), ["target"] = ResourceTarget(resource) };
                break;
            case "ContainerResource" when metric.ObjectAt("containerResource") is { } resource:
                result["containerResource"] = new JsonObject { ["name"] = Clone(resource["name"]), ["container"] = Clone(resource["container"]), ["target"] = ResourceTarget(resource) };
                break;
            case "Pods" when metric.ObjectAt("pods") is { } pods:
                result["pods"] = new JsonObject
                {
                    ["metric"] = Identifier(pods["metricName"], pods["selector"]),
                    ["target"] = Copy(new JsonObject { ["type"] = "AverageValue" }, ("averageValue", pods["targetAverageValue"])),
                };
                break;
            case "Object" when metric.ObjectAt("object") is { } obj:
                // Value unless an average value is set (Convert_v1_ObjectMetricSource_To_autoscaling_ObjectMetricSource).
                result["object"] = new JsonObject
                {
                    ["describedObject"] = Clone(obj["target"]),
                    ["metric"] = Identifier(obj["metricName"], obj["selector"]),
                    ["target"] = Copy(new JsonObject { ["type"] = obj["averageValue"] is null ? "Value" : "AverageValue" }, ("value", obj["targetValue"]), ("averageValue", obj["averageValue"])),
                };
                break;
            case "External" when metric.ObjectAt("external") is { } external:
                result["external"] = new JsonObject
                {
                    ["metric"] = Identifier(external["metricName"], external["metricSelector"]),
                    ["target"] = Copy(new JsonObject { ["type"] = external["targetAverageValue"] is null ? "Value" : "AverageValue" }, ("value", external["targetValue"]), ("averageValue", external["targetAverageValue"])),
                };
                break;
        }

        return result;
    }

    public static JsonObject StatusToV1(JsonObject status)
    {
        var type = status.StringAt("type") ?? "";
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" when status.ObjectAt("resource") is { } resource:
                result["resource"] = Copy(new JsonObject { ["name"] = Clone(resource["name"]) }, ("currentAverageUtilization", resource.At("current", "averageUtilization")), ("currentAverageValue", resource.At("current", "averageValue")));
                break;
            case "ContainerResource" when status.ObjectAt("containerResource") is { } resource:
                result["containerResource"] = Copy(new JsonObject { ["name"] = Clone(resource["name"]), ["container"] = Clone(resource["container"]) }, ("currentAverageUtilization", resource.At("current", "averageUtilization")), ("currentAverageValue", resource.At("current", "averageValue")));
                break;
            case "Pods" when status.ObjectAt("pods") is { } pods:
                result["pods"] = Copy(new JsonObject { ["metricName"] = Clone(pods.At("metric", "name")) }, ("currentAverageValue", pods.At("current", "averageValue")), ("selector", pods.At("metric", "selector")));
                break;
            case "Object" when status.ObjectAt("object") is { } obj:
                result["object"] = Copy(new JsonObject { ["target"] = Clone(obj["describedObject"]), ["metricName"] = Clone(obj.At("metric", "name")) }, ("currentValue", obj.At("current", "value")), ("selector", obj.At("metric", "selector")), ("averageValue", obj.At("current", "averageValue")));
                break;
            case "External" when status.ObjectAt("external") is { } external:
                result["external"] = Copy(new JsonObject { ["metricName"] = Clone(external.At("metric", "name")) }, ("metricSelector", external.At("metric", "selector")), ("currentValue", external.At("current", "value")), ("currentAverageValue", external.At("current", "averageValue")));
                break;
        }

        return result;
    }

    public static JsonObject StatusFromV1(JsonObject status)
    {
        var type = status.StringAt("type") ?? "";
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "Resource" when status.ObjectAt("resource") is { } resource:
                result["resource"] = new JsonObject { ["name"] = Clone(resource["name"]), ["current"] = Copy([], ("averageUtilization", resource["currentAverageUtilization"]), ("averageValue", resource["currentAverageValue"])) };
                break;
            case "ContainerResource" when status.ObjectAt("containerResource") is { } resource:
                result["containerResource"] = new JsonObject { ["name"] = Clone(resource["name"]), ["container"] = Clone(resource["container"]), ["current"] = Copy([], ("averageUtilization", resource["currentAverageUtilization"]), ("averageValue", resource["currentAverageValue"])) };
                break;
            case "Pods" when status.ObjectAt("pods") is { } pods:
                result["pods"] = new JsonObject { ["metric"] = Identifier(pods["metricName"], pods["selector"]), ["current"] = Copy([], ("averageValue", pods["currentAverageValue"])) };
                break;
            case "Object" when status.ObjectAt("object") is { } obj:
                result["object"] = new JsonObject { ["describedObject"] = Clone(obj["target"]), ["metric"] = Identifier(obj["metricName"], obj["selector"]), ["current"] = Copy([], ("value", obj["currentValue"]), ("averageValue", obj["averageValue"])) };
                break;
            case "External" when status.ObjectAt("external") is { } external:
                result["external"] = new JsonObject { ["metric"] = Identifier(external["metricName"], external["metricSelector"]), ["current"] = Copy([], ("value", external["currentValue"]), ("averageValue", external["currentAverageValue"])) };
                break;
        }

        return result;
    }

    /// <summary>A v1 resource target: Utilization when a percentage is set, else AverageValue.</summary>
    private static JsonObject ResourceTarget(JsonObject resource) =>
        Copy(new JsonObject { ["type"] = resource["targetAverageUtilization"] is null ? "AverageValue" : "Utilization" }, ("averageUtilization", resource["targetAverageUtilization"]), ("averageValue", resource["targetAverageValue"]));

    private static JsonObject Identifier(JsonNode? name, JsonNode? selector) => Copy(new JsonObject { ["name"] = Clone(name) }, ("selector", selector));

    /// <summary>Adds each set value (a copy) under its name: unset fields stay absent, as omitempty leaves them.</summary>
    private static JsonObject Copy(JsonObject target, params (string Name, JsonNode? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                target[name] = value.DeepClone();
            }
        }

        return target;
    }

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone() ?? "";
}
