using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Admissionregistration;

/// <summary>
/// ValidatingAdmissionPolicies and their bindings (upstream's pkg/apis/admissionregistration/validation
/// ValidateValidatingAdmissionPolicy and ValidateValidatingAdmissionPolicyBinding), without compiling CEL.
/// </summary>
internal static class AdmissionPolicyValidation
{
    private static readonly string[] _failurePolicies = ["Fail", "Ignore"];
    private static readonly string[] _validationActions = ["Audit", "Deny", "Warn"];
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    public static FieldErrorList ValidatePolicy(JsonObject policy)
    {
        var errors = new FieldErrorList();
        var spec = policy.ObjectAt("spec") ?? [];
        errors.AddEnum(spec.StringAt("failurePolicy"), _spec.Child("failurePolicy"), _failurePolicies, required: false);
        if (spec.ObjectAt("paramKind") is { } paramKind)
        {
            if (paramKind.Text("apiVersion").Length == 0)
            {
                errors.Add(FieldError.Required(_spec.Child("paramKind", "apiVersion")));
            }

            if (paramKind.Text("kind").Length == 0)
            {
                errors.Add(FieldError.Required(_spec.Child("paramKind", "kind")));
            }
        }

        if (spec.ObjectAt("matchConstraints") is not { } match)
        {
            errors.Add(FieldError.Required(_spec.Child("matchConstraints")));
        }
        else
        {
            AddMatchResources(errors, match, _spec.Child("matchConstraints"), requireRules: true);
        }

        var validations = spec.ArrayAt("validations");
        if ((validations?.Count ?? 0) == 0 && (spec.ArrayAt("auditAnnotations")?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("validations"), "validations or auditAnnotations must contain at least one item"));
        }

        var index = 0;
        foreach (var validation in validations.Objects())
        {
            var path = _spec.Child("validations").Index(index++);
            if (validation.Text("expression").Trim().Length == 0)
            {
                errors.Add(FieldError.Required(path.Child("expression"), "expression is not specified"));
            }
        }

        return errors;
    }

    public static FieldErrorList ValidateBinding(JsonObject binding)
    {
        var errors = new FieldErrorList();
        var spec = binding.ObjectAt("spec") ?? [];
        if (spec.Text("policyName").Length == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("policyName")));
        }

        if (spec.ObjectAt("matchResources") is { } match)
        {
            AddMatchResources(errors, match, _spec.Child("matchResources"), requireRules: false);
        }

        var actions = JsonFields.GetStringList(spec, "validationActions");
        var path = _spec.Child("validationActions");
        if (actions.Count == 0)
        {
            errors.Add(FieldError.Required(path, "at least one validation action is required"));
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < actions.Count; i++)
        {
            if (!_validationActions.Contains(actions[i]))
            {
                errors.Add(FieldError.NotSupported(path.Index(i), actions[i], _validationActions));
            }

            if (!seen.Add(actions[i]))
            {
                errors.Add(FieldError.Duplicate(path.Index(i), actions[i]));
            }
        }

        if (seen.Contains("Deny") && seen.Contains("Warn"))
        {
            errors.Add(FieldError.Invalid(path, GoValue.Strings(actions), "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)"));
        }

        return errors;
    }

    private static void AddMatchResources(FieldErrorList errors, JsonObject match, FieldPath path, bool requireRules)
    {
        errors.AddLabelSelector(match.ObjectAt("namespaceSelector"), path.Child("namespaceSelector"));
        errors.AddLabelSelector(match.ObjectAt("objectSelector"), path.Child("objectSelector"));
        if (requireRules && (match.ArrayAt("resourceRules")?.Count ?? 0) == 0)
        {
            errors.Add(FieldError.Required(path.Child("resourceRules")));
        }

        foreach (var field in new[] { "resourceRules", "excludeResourceRules" })
        {
            var index = 0;
            foreach (var rule in match.ArrayAt(field).Objects())
            {
                AdmissionRuleChecks.AddRuleWithOperations(errors, rule, path.Child(field).Index(index++));
            }
        }
    }
}
