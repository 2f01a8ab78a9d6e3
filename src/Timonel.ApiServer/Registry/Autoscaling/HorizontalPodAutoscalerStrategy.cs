using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// HorizontalPodAutoscalers at autoscaling/v2 and autoscaling/v1 (pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go).
/// One strategy serves both versions: an object is defaulted in its own version (v1 only defaults minReplicas), then
/// validated and printed in its v2 form, as upstream does on its v2-shaped internal type.
/// </summary>
public sealed class HorizontalPodAutoscalerStrategy : ResourceStrategyBase
{
    private const string V1 = "autoscaling/v1";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Reference", "string", (hpa, _) => $"{hpa.StringAt("spec", "scaleTargetRef", "kind")}/{hpa.StringAt("spec", "scaleTargetRef", "name")}", 0, "", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
        new("Targets", "string", (hpa, _) => HorizontalPodAutoscalerTargets.Format(AsV2(hpa)), 0, "", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used)."),
        new("MinPods", "string", (hpa, _) => hpa.LongAt("spec", "minReplicas") is { } min ? min.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<unset>", 0, "", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
        new("MaxPods", "string", (hpa, _) => hpa.LongAt("spec", "maxReplicas") ?? 0, 0, "", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."),
        new("Replicas", "string", (hpa, _) => hpa.LongAt("status", "currentReplicas") ?? 0, 0, "", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        // The zero status as each version writes it: v1's replica counts have no omitempty, v2's desiredReplicas alone.
        created["status"] = IsV1(created) ? new JsonObject { ["currentReplicas"] = 0, ["desiredReplicas"] = 0 } : new JsonObject { ["desiredReplicas"] = 0 };
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        if (IsV1(obj))
        {
            obj.Child("spec").SetDefault("minReplicas", 1);
        }
        else
        {
            HorizontalPodAutoscalerDefaults.Apply(obj);
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => HorizontalPodAutoscalerValidation.Validate(AsV2(obj));

    private static bool IsV1(JsonObject hpa) => hpa.StringAt("apiVersion") == V1;

    private static JsonObject AsV2(JsonObject hpa) => IsV1(hpa) ? HorizontalPodAutoscalerVersionConverter.Instance.ToStorage(hpa) : hpa;
}
