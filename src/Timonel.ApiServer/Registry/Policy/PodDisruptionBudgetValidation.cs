using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Policy;

/// <summary>PodDisruptionBudgets (upstream's pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec).</summary>
internal static class PodDisruptionBudgetValidation
{
    /// <summary>supportedUnhealthyPodEvictionPolicies, sorted as sets.List lists them.</summary>
    private static readonly string[] _evictionPolicies = ["AlwaysAllow", "IfHealthyBudget"];

    public static FieldErrorList Validate(JsonObject pdb)
    {
        var errors = new FieldErrorList();
        var path = FieldPath.Root("spec");
        var spec = pdb.ObjectAt("spec") ?? [];
        if (spec["minAvailable"] is not null && spec["maxUnavailable"] is not null)
        {
            // The whole spec, as %#v prints the internal struct.
            var shown = GoValue.Struct(
                "policy.PodDisruptionBudgetSpec",
                ("MinAvailable", GoValue.Pointer("intstr.IntOrString", true)),
                ("Selector", GoValue.Pointer("v1.LabelSelector", spec["selector"] is not null)),
                ("MaxUnavailable", GoValue.Pointer("intstr.IntOrString", true)),
                ("UnhealthyPodEvictionPolicy", GoValue.Pointer("policy.UnhealthyPodEvictionPolicyType", spec["unhealthyPodEvictionPolicy"] is not null)));
            errors.Add(FieldError.Invalid(path, shown, "minAvailable and maxUnavailable cannot be both set"));
        }

        AddIntOrPercent(errors, spec["minAvailable"], path.Child("minAvailable"));
        AddIntOrPercent(errors, spec["maxUnavailable"], path.Child("maxUnavailable"));
        errors.AddLabelSelector(spec.ObjectAt("selector"), path.Child("selector"));
        if (spec.StringAt("unhealthyPodEvictionPolicy") is { } policy && !_evictionPolicies.Contains(policy))
        {
            errors.Add(FieldError.NotSupported(path.Child("unhealthyPodEvictionPolicy"), policy, _evictionPolicies));
        }

        return errors;
    }

    /// <summary>apps validation's ValidatePositiveIntOrPercent and IsNotMoreThan100Percent, for a set value.</summary>
    private static void AddIntOrPercent(FieldErrorList errors, JsonNode? node, FieldPath path)
    {
        switch (node)
        {
            case null:
                return;
            case JsonValue value when value.TryGetValue<string>(out var text):
                errors.AddInvalid(path, GoValue.IntOrString(value), NameValidation.IsValidPercent(text));
                if (text.EndsWith('%') && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) && percent > 100)
                {
                    errors.Add(FieldError.Invalid(path, GoValue.IntOrString(value), "must not be greater than 100%"));
                }

                return;
            case JsonValue number when number.AsLong() is { } whole:
                errors.AddRange(ObjectMetaValidation.ValidateNonnegativeField(whole, path));
                return;
        }
    }
}
