using Timonel.Api.Validation;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// metav1.DeleteOptions as the client sent them, field for field (apimachinery pkg/apis/meta/v1/types.go), before
/// validation folds them into the <see cref="DeleteOptions"/> the store works with.
/// </summary>
public sealed record RequestedDeleteOptions
{
    public long? GracePeriodSeconds { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    public bool? OrphanDependents { get; init; }

    public string? PropagationPolicy { get; init; }

    public IReadOnlyList<string>? DryRun { get; init; }

    /// <summary>
    /// ValidateDeleteOptions (apimachinery pkg/apis/meta/v1/validation): the deprecated orphanDependents or a
    /// propagationPolicy, not both; one of the three policies; dryRun only "All".
    /// </summary>
    public FieldErrorList Validate()
    {
        var errors = new FieldErrorList();
        var policyPath = FieldPath.Root("propagationPolicy");
        if (OrphanDependents is not null && PropagationPolicy is not null)
        {
            errors.Add(FieldError.Invalid(policyPath, PropagationPolicy, "orphanDependents and deletionPropagation cannot be both set"));
        }

        if (PropagationPolicy is not null and not ("Foreground" or "Background" or "Orphan"))
        {
            // Upstream lists "nil" among the supported values (no policy at all).
            errors.Add(FieldError.NotSupported(policyPath, PropagationPolicy, ["Foreground", "Background", "Orphan", "nil"]));
        }

        if (DryRun is { } dryRun && dryRun.Any(value => value != "All"))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("dryRun"), GoValue.Strings(dryRun), ["All"]));
        }

        return errors;
    }

    /// <summary>
    /// The store's options: orphanDependents folded into a policy (the generic store's shouldDeleteDependents:
    /// false means foreground) and a negative grace period counted as 1 second (rest.BeforeDelete).
    /// </summary>
    public DeleteOptions ToStoreOptions() => new(
        GracePeriodSeconds is < 0 ? 1 : GracePeriodSeconds,
        OrphanDependents is { } orphan ? (orphan ? "Orphan" : "Foreground") : PropagationPolicy,
        PreconditionUid,
        PreconditionResourceVersion,
        DryRun is { Count: > 0 },
        OrphanDependents);
}
