using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// What upstream's default admission plugins add to a new pod: the ServiceAccount plugin's
/// serviceAccountName "default", the Priority plugin's priority and preemptionPolicy, and the
/// DefaultTolerationSeconds plugin's 300s tolerations of not-ready and unreachable nodes
/// (plugin/pkg/admission/{serviceaccount,priority,defaulttolerationseconds}).
/// </summary>
public static class PodAdmission
{
    // pkg/apis/scheduling: the two built-in priority classes.
    private static readonly Dictionary<string, long> _systemPriorities = new(StringComparer.Ordinal)
    {
        ["system-node-critical"] = 2000001000,
        ["system-cluster-critical"] = 2000000000,
    };

    // --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds default to 300.
    private const long DefaultTolerationSeconds = 300;

    private static readonly string[] _nodeProblemTaints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

    public static void Apply(JsonObject pod)
    {
        var spec = pod.Child("spec");
        if (string.IsNullOrEmpty(spec.StringAt("serviceAccountName")))
        {
            spec["serviceAccountName"] = "default";
            spec["serviceAccount"] = "default";
        }

        ApplyPriority(spec);
        AddNodeProblemTolerations(spec);
    }

    private static void ApplyPriority(JsonObject spec)
    {
        var className = spec.StringAt("priorityClassName");
        if (string.IsNullOrEmpty(className))
        {
            // No class and no global default class: priority 0 with the default preemption policy.
            spec.SetDefault("priority", 0);
        }
        else if (_systemPriorities.TryGetValue(className, out var value))
        {
            spec.SetDefault("priority", value);
        }

        if (spec["priority"] is not null)
        {
            spec.SetDefault("preemptionPolicy", "PreemptLowerPriority");
        }
    }

    private static void AddNodeProblemTolerations(JsonObject spec)
    {
        var existing = spec.ArrayAt("tolerations")?.Objects().ToList() ?? [];
        foreach (var taint in _nodeProblemTaints)
        {
            // A toleration with an empty key or effect matches every key or effect.
            var tolerated = existing.Any(t =>
                (t.StringAt("key") is null or "" || t.StringAt("key") == taint)
                && (t.StringAt("effect") is null or "" or "NoExecute"));
            if (tolerated)
            {
                continue;
            }

            if (spec["tolerations"] is not JsonArray tolerations)
            {
                tolerations = [];
                spec["tolerations"] = tolerations;
            }

            tolerations.Add(new JsonObject
            {
                ["key"] = taint,
                ["operator"] = "Exists",
                ["effect"] = "NoExecute",
                ["tolerationSeconds"] = DefaultTolerationSeconds,
            });
        }
    }
}
