using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Folds pod (anti-)affinity terms' matchLabelKeys and mismatchLabelKeys into their labelSelector at creation
/// (pkg/registry/core/pod/strategy.go applyMatchLabelKeysAndMismatchLabelKeys, feature MatchLabelKeysInPodAffinity,
/// beta and on in 1.32): each key the pod carries becomes `key In (value)` or `key NotIn (value)`, so the scheduler
/// reads selectors only. A term without a labelSelector selects nothing and is left alone.
/// </summary>
internal static class PodAffinityLabelKeys
{
    public static void Apply(JsonObject pod)
    {
        var labels = pod.ObjectAt("metadata", "labels");
        foreach (var kind in new[] { "podAffinity", "podAntiAffinity" })
        {
            var affinity = pod.ObjectAt("spec", "affinity", kind);
            foreach (var term in affinity.ArrayAt("requiredDuringSchedulingIgnoredDuringExecution").Objects())
            {
                ApplyToTerm(term, labels);
            }

            foreach (var weighted in affinity.ArrayAt("preferredDuringSchedulingIgnoredDuringExecution").Objects())
            {
                if (weighted.ObjectAt("podAffinityTerm") is { } term)
                {
                    ApplyToTerm(term, labels);
                }
            }
        }
    }

    private static void ApplyToTerm(JsonObject term, JsonObject? labels)
    {
        if (term.ObjectAt("labelSelector") is not { } selector)
        {
            return;
        }

        AddRequirements(selector, term.ArrayAt("matchLabelKeys"), "In", labels);
        AddRequirements(selector, term.ArrayAt("mismatchLabelKeys"), "NotIn", labels);
    }

    private static void AddRequirements(JsonObject selector, JsonArray? keys, string op, JsonObject? labels)
    {
        foreach (var key in keys?.Select(k => k?.GetValue<string>()).OfType<string>() ?? [])
        {
            if (labels?[key]?.GetValue<string>() is not { } value)
            {
                continue;
            }

            if (selector["matchExpressions"] is not JsonArray expressions)
            {
                selector["matchExpressions"] = expressions = [];
            }

            expressions.Add(new JsonObject { ["key"] = key, ["operator"] = op, ["values"] = new JsonArray(value) });
        }
    }
}
