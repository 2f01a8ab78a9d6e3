using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// A pod spec's topologySpreadConstraints (upstream's validateTopologySpreadConstraints in
/// pkg/apis/core/validation/validation.go): positive maxSkew, a topology key, a known action, no repeated
/// (topologyKey, whenUnsatisfiable) pair, minDomains only with DoNotSchedule, node policies and label selectors.
/// </summary>
internal static class TopologySpreadValidation
{
    // supportedScheduleActions and supportedPodTopologySpreadNodePolicies, sorted as sets.List.
    private static readonly string[] _actions = ["DoNotSchedule", "ScheduleAnyway"];
    private static readonly string[] _nodePolicies = ["Honor", "Ignore"];

    public static void Validate(FieldErrorList errors, JsonArray? constraints, FieldPath path)
    {
        var items = constraints.Objects().ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPath = path.Index(i);
            var maxSkew = item.LongAt("maxSkew") ?? 0;
            if (maxSkew <= 0)
            {
                errors.Add(FieldError.Invalid(itemPath.Child("maxSkew"), maxSkew, FieldChecks.NotPositiveMessage));
            }

            var topologyKey = item.Text("topologyKey");
            if (topologyKey.Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("topologyKey"), "can not be empty"));
            }

            var action = item.Text("whenUnsatisfiable");
            if (!_actions.Contains(action))
            {
                errors.Add(FieldError.NotSupported(itemPath.Child("whenUnsatisfiable"), action, _actions));
            }

            // ValidateSpreadConstraintNotRepeat: upstream names the pair as a pseudo-field.
            if (items.Skip(i + 1).Any(other => other.Text("topologyKey") == topologyKey && other.Text("whenUnsatisfiable") == action))
            {
                errors.Add(FieldError.Duplicate(itemPath.Child("{topologyKey, whenUnsatisfiable}"), $"{{{topologyKey}, {action}}}"));
            }

            if (item.LongAt("minDomains") is { } minDomains)
            {
                if (minDomains <= 0)
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("minDomains"), minDomains, FieldChecks.NotPositiveMessage));
                }

                if (action != "DoNotSchedule")
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("minDomains"), minDomains, $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"));
                }
            }

            foreach (var field in new[] { "nodeAffinityPolicy", "nodeTaintsPolicy" })
            {
                errors.AddEnum(item.StringAt(field), itemPath.Child(field), _nodePolicies, required: false);
            }

            ValidateMatchLabelKeys(errors, item, itemPath.Child("matchLabelKeys"));
            errors.AddLabelSelector(item.ObjectAt("labelSelector"), itemPath.Child("labelSelector"));
        }
    }

    /// <summary>validateMatchLabelKeysInTopologySpread: label names, only with a label selector, not already in it.</summary>
    private static void ValidateMatchLabelKeys(FieldErrorList errors, JsonObject constraint, FieldPath path)
    {
        var keys = JsonFields.GetStringList(constraint, "matchLabelKeys");
        if (keys.Count == 0)
        {
            return;
        }

        var selector = constraint.ObjectAt("labelSelector");
        var selectorKeys = new HashSet<string>(StringComparer.Ordinal);
        if (selector is null)
        {
            errors.Add(FieldError.Forbidden(path, "must not be specified when labelSelector is not set"));
        }
        else
        {
            selectorKeys.UnionWith(JsonFields.GetStringMap(selector, "matchLabels").Keys);
            selectorKeys.UnionWith(selector.ArrayAt("matchExpressions").Objects().Select(e => e.Text("key")));
        }

        for (var i = 0; i < keys.Count; i++)
        {
            errors.AddLabelName(keys[i], path.Index(i));
            if (selectorKeys.Contains(keys[i]))
            {
                errors.Add(FieldError.Invalid(path.Index(i), keys[i], "exists in both matchLabelKeys and labelSelector"));
            }
        }
    }
}
