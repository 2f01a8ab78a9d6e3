using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Coordination;

/// <summary>Leases (upstream's pkg/apis/coordination/validation ValidateLeaseSpec): a positive duration, non-negative transitions.</summary>
internal static class LeaseValidation
{
    public static FieldErrorList Validate(JsonObject lease)
    {
        var errors = new FieldErrorList();
        var spec = FieldPath.Root("spec");
        if (lease.LongAt("spec", "leaseDurationSeconds") is { } duration and <= 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("leaseDurationSeconds"), duration, "must be greater than 0"));
        }

        if (lease.LongAt("spec", "leaseTransitions") is { } transitions and < 0)
        {
            errors.Add(FieldError.Invalid(spec.Child("leaseTransitions"), transitions, ObjectMetaValidation.IsNegativeErrorMessage));
        }

        return errors;
    }
}
