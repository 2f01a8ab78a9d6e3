using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Autoscaling;

/// <summary>
/// The TARGETS cell of kubectl get hpa (upstream's formatHPAMetrics in pkg/printers/internalversion/printers.go):
/// "current/target" per metric, resource metrics prefixed by their name, "&lt;unknown&gt;" while no status is known,
/// at most two shown and then "+ N more...".
/// </summary>
public static class HorizontalPodAutoscalerTargets
{
    private const int Max = 2;

    public static string Format(JsonObject hpa)
    {
        var specs = hpa.ArrayAt("spec", "metrics")?.OfType<JsonObject>().ToList() ?? [];
        if (specs.Count == 0)
        {
            return "<none>";
        }

        var statuses = hpa.ArrayAt("status", "currentMetrics")?.OfType<JsonObject>().ToList() ?? [];
        var list = new List<string>();
        for (var i = 0; i < specs.Count && list.Count < Max; i++)
        {
            list.Add(One(specs[i], i < statuses.Count ? statuses[i] : null));
        }

        var text = string.Join(", ", list);
        return specs.Count > Max ? $"{text} + {specs.Count - Max} more..." : text;
    }

    private static string One(JsonObject spec, JsonObject? status)
    {
        const string unknown = "<unknown>";
        switch (spec.StringAt("type"))
        {
            case "External" or "Object":
                var field = spec.StringAt("type") == "External" ? "external" : "object";
                if (spec.StringAt(field, "target", "averageValue") is { } average)
                {
                    return $"{status.StringAt(field, "current", "averageValue") ?? unknown}/{average} (avg)";
                }

                return $"{status.StringAt(field, "current", "value") ?? unknown}/{spec.StringAt(field, "target", "value") ?? ""}";
            case "Pods":
                return $"{status.StringAt("pods", "current", "averageValue") ?? unknown}/{spec.StringAt("pods", "target", "averageValue") ?? ""}";
            case "Resource" or "ContainerResource":
                var source = spec.StringAt("type") == "Resource" ? "resource" : "containerResource";
                var name = spec.StringAt(source, "name") ?? "";
                if (spec.StringAt(source, "target", "averageValue") is { } value)
                {
                    return $"{name}: {status.StringAt(source, "current", "averageValue") ?? unknown}/{value}";
                }

                var current = status.LongAt(source, "current", "averageUtilization") is { } utilization ? $"{utilization}%" : unknown;
                return $"{name}: {current}/{spec.LongAt(source, "target", "averageUtilization") ?? 0}%";
            default:
                return "<unknown type>";
        }
    }
}
