using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// Upstream's pkg/apis/autoscaling/v2/defaults.go on the v2 form: one minimum replica, an 80% CPU target when no
/// metric is given, and, when a behavior is given, its unset rules filled from the default scale-up and scale-down rules.
/// </summary>
public static class HorizontalPodAutoscalerDefaults
{
    public static void Apply(JsonObject hpa)
    {
        var spec = hpa.Child("spec");
        spec.SetDefault("minReplicas", 1);
        if (spec.ArrayAt("metrics") is not { Count: > 0 })
        {
            spec["metrics"] = new JsonArray(HorizontalPodAutoscalerVersionConverter.CpuUtilization(HorizontalPodAutoscalerVersionConverter.DefaultCpuUtilization));
        }

        if (spec.ObjectAt("behavior") is { } behavior)
        {
            // GenerateHPAScaleUpRules: no stabilization, the larger of 4 pods or 100% every 15 seconds.
            FillRules(behavior, "scaleUp", 0, [("Pods", 4), ("Percent", 100)]);
            // GenerateHPAScaleDownRules: five minutes of stabilization, up to 100% every 15 seconds.
            FillRules(behavior, "scaleDown", 300, [("Percent", 100)]);
        }
    }

    /// <summary>copyHPAScalingRules over the defaults: each field the user set wins.</summary>
    private static void FillRules(JsonObject behavior, string name, int stabilizationWindowSeconds, (string Type, int Value)[] policies)
    {
        var rules = behavior.Child(name);
        rules.SetDefault("stabilizationWindowSeconds", stabilizationWindowSeconds);
        rules.SetDefault("selectPolicy", "Max");
        rules.SetDefault("policies", new JsonArray([.. policies.Select(p => (JsonNode)new JsonObject { ["type"] = p.Type, ["value"] = p.Value, ["periodSeconds"] = 15 })]));
    }
}
