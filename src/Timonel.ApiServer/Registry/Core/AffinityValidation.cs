using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Node selectors and pod (anti-)affinity as upstream's validateAffinity, ValidateNodeSelector,
/// ValidateNodeSelectorRequirement, ValidatePreferredSchedulingTerms and validatePodAffinityTerm
/// (pkg/apis/core/validation/validation.go). Node selectors also serve PersistentVolumes' nodeAffinity.
/// </summary>
internal static class AffinityValidation
{
    private const string WeightMessage = "must be in the range 1-100";

    /// <summary>validateAffinity: the node affinity, pod affinity and pod anti-affinity of a pod spec.</summary>
    public static void Validate(FieldErrorList errors, JsonObject? affinity, FieldPath path)
    {
        if (affinity?["nodeAffinity"] is JsonObject node)
        {
            var nodePath = path.Child("nodeAffinity");
            if (node["requiredDuringSchedulingIgnoredDuringExecution"] is JsonObject required)
            {
                AddNodeSelector(errors, required, nodePath.Child("requiredDuringSchedulingIgnoredDuringExecution"));
            }

            var index = 0;
            foreach (var term in node.ArrayAt("preferredDuringSchedulingIgnoredDuringExecution").Objects())
            {
                var termPath = nodePath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(index++);
                AddWeight(errors, term, termPath);
                // Preferred terms may carry invalid label values: they can still match on a one-node cluster.
                AddNodeSelectorTerm(errors, term.ObjectAt("preference"), termPath.Child("preference"), allowInvalidValues: true);
            }
        }

        foreach (var field in new[] { "podAffinity", "podAntiAffinity" })
        {
            if (affinity?[field] is not JsonObject pod)
            {
                continue;
            }

            var podPath = path.Child(field);
            var index = 0;
            foreach (var term in pod.ArrayAt("requiredDuringSchedulingIgnoredDuringExecution").Objects())
            {
                AddPodAffinityTerm(errors, term, podPath.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(index++));
            }

            index = 0;
            foreach (var term in pod.ArrayAt("preferredDuringSchedulingIgnoredDuringExecution").Objects())
            {
                var termPath = podPath.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(index++);
                AddWeight(errors, term, termPath);
                AddPodAffinityTerm(errors, term.ObjectAt("podAffinityTerm"), termPath.Child("podAffinityTerm"));
            }
        }
    }

    /// <summary>ValidateNodeSelector: at least one term, each valid.</summary>
    public static void AddNodeSelector(FieldErrorList errors, JsonObject selector, FieldPath path)
    {
        var termsPath = path.Child("nodeSelectorTerms");
        var terms = selector.ArrayAt("nodeSelectorTerms").Objects().ToList();
        if (terms.Count == 0)
        {
            errors.Add(FieldError.Required(termsPath, "must have at least one node selector term"));
            return;
        }

        for (var i = 0; i < terms.Count; i++)
        {
            AddNodeSelectorTerm(errors, terms[i], termsPath.Index(i), allowInvalidValues: false);
        }
    }

    /// <summary>ValidateNodeSelectorTerm: its label expressions and its field expressions.</summary>
    private static void AddNodeSelectorTerm(FieldErrorList errors, JsonObject? term, FieldPath path, bool allowInvalidValues)
    {
        var index = 0;
        foreach (var requirement in term.ArrayAt("matchExpressions").Objects())
        {
            AddRequirement(errors, requirement, path.Child("matchExpressions").Index(index++), allowInvalidValues);
        }

        index = 0;
        foreach (var requirement in term.ArrayAt("matchFields").Objects())
        {
            AddFieldRequirement(errors, requirement, path.Child("matchFields").Index(index++));
        }
    }

    /// <summary>ValidateNodeSelectorRequirement: operator and values agree, the key is a label name, values label values.</summary>
    private static void AddRequirement(FieldErrorList errors, JsonObject requirement, FieldPath path, bool allowInvalidValues)
    {
        var values = JsonFields.GetStringList(requirement, "values");
        errors.AddSelectorOperator(requirement.Text("operator"), values.Count, path, numeric: true);
        errors.AddLabelName(requirement.Text("key"), path.Child("key"));
        for (var i = 0; !allowInvalidValues && i < values.Count; i++)
        {
            errors.AddInvalid(path.Child("values").Index(i), values[i], NameValidation.IsValidLabelValue(values[i]));
        }
    }

    /// <summary>ValidateNodeFieldSelectorRequirement: only metadata.name, with In or NotIn and one node name.</summary>
    private static void AddFieldRequirement(FieldErrorList errors, JsonObject requirement, FieldPath path)
    {
        var values = JsonFields.GetStringList(requirement, "values");
        var op = requirement.Text("operator");
        if (op is "In" or "NotIn")
        {
            if (values.Count != 1)
            {
                errors.Add(FieldError.Required(path.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
            }
        }
        else
        {
            errors.Add(FieldError.Invalid(path.Child("operator"), op, "not a valid selector operator"));
        }

        var key = requirement.Text("key");
        if (key != "metadata.name")
        {
            errors.Add(FieldError.Invalid(path.Child("key"), key, "not a valid field selector key"));
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            errors.AddInvalid(path.Child("values").Index(i), values[i], NameValidation.NameIsDnsSubdomain(values[i], false));
        }
    }

    /// <summary>validatePodAffinityTerm: selectors, namespaces, and a required topology key that is a label name.</summary>
    private static void AddPodAffinityTerm(FieldErrorList errors, JsonObject? term, FieldPath path)
    {
        errors.AddLabelSelector(term.ObjectAt("labelSelector"), path.Child("labelSelector"));
        errors.AddLabelSelector(term.ObjectAt("namespaceSelector"), path.Child("namespaceSelector"));
        foreach (var ns in JsonFields.GetStringList(term as JsonObject, "namespaces"))
        {
            // Upstream's path says "namespace" for every entry of "namespaces".
            errors.AddInvalid(path.Child("namespace"), ns, NameValidation.NameIsDnsLabel(ns, false));
        }

        var topologyKey = term.Text("topologyKey");
        if (topologyKey.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("topologyKey"), "can not be empty"));
        }

        errors.AddLabelName(topologyKey, path.Child("topologyKey"));
    }

    private static void AddWeight(FieldErrorList errors, JsonObject term, FieldPath path)
    {
        var weight = term.LongAt("weight") ?? 0;
        if (weight is <= 0 or > 100)
        {
            errors.Add(FieldError.Invalid(path.Child("weight"), weight, WeightMessage));
        }
    }
}
