using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Scheduling;

/// <summary>PriorityClasses (upstream's pkg/apis/scheduling/validation ValidatePriorityClass and ValidatePriorityClassUpdate).</summary>
internal static class PriorityClassValidation
{
    /// <summary>ValidatePreemptionPolicy's values, in upstream's order.</summary>
    private static readonly string[] _preemptionPolicies = ["PreemptLowerPriority", "Never"];

    public static FieldErrorList Validate(JsonObject priorityClass)
    {
        var errors = new FieldErrorList();
        var name = priorityClass.StringAt("metadata", "name") ?? string.Empty;
        var value = priorityClass.LongAt("value") ?? 0;
        if (name.StartsWith(SystemPriorityClasses.Prefix, StringComparison.Ordinal))
        {
            if (KnownSystemClassError(name, value, priorityClass.BoolAt("globalDefault") ?? false) is { } error)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("metadata").Child("name"), $"priority class names with '{SystemPriorityClasses.Prefix}' prefix are reserved for system use only. error: {error}"));
            }
        }
        else if (value > SystemPriorityClasses.HighestUserDefinablePriority)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("value"), $"maximum allowed value of a user defined priority is {SystemPriorityClasses.HighestUserDefinablePriority}"));
        }

        errors.AddEnum(priorityClass.StringAt("preemptionPolicy"), FieldPath.Root("preemptionPolicy"), _preemptionPolicies);
        return errors;
    }

    public static FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old)
    {
        // Upstream's update validation checks metadata and these two fields only.
        var errors = new FieldErrorList();
        if ((updated.LongAt("value") ?? 0) != (old.LongAt("value") ?? 0))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("value"), "may not be changed in an update."));
        }

        errors.AddImmutable(updated["preemptionPolicy"], old["preemptionPolicy"], FieldPath.Root("preemptionPolicy"));
        return errors;
    }

    /// <summary>IsKnownSystemPriorityClass's error, or null for one of the system classes as defined.</summary>
    private static string? KnownSystemClassError(string name, long value, bool globalDefault)
    {
        foreach (var known in SystemPriorityClasses.All)
        {
            if (known.Name != name)
            {
                continue;
            }

            return known.Value != value ? $"value of {name} PriorityClass must be {known.Value}"
                : globalDefault ? $"globalDefault of {name} PriorityClass must be false"
                : null;
        }

        return $"{name} is not a known system priority class";
    }
}
