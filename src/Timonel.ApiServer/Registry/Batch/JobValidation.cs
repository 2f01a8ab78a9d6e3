using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Core;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>Jobs (upstream's pkg/apis/batch/validation/validation.go ValidateJob and ValidateJobUpdate).</summary>
internal static class JobValidation
{
    private static readonly FieldPath _spec = FieldPath.Root("spec");

    public static FieldErrorList Validate(JsonObject job)
    {
        var errors = new FieldErrorList();
        var spec = job["spec"] as JsonObject ?? [];
        ValidateSpec(errors, spec, _spec);
        if (spec["selector"] is not JsonObject selector)
        {
            errors.Add(FieldError.Required(_spec.Child("selector")));
        }
        else
        {
            errors.AddLabelSelector(selector, _spec.Child("selector"));
        }

        errors.AddTemplateMatch(spec, _spec, "invalid label selector", skipEmpty: false);
        return errors;
    }

    /// <summary>
    /// ValidateJobUpdate: selector, completion mode and (unless an Indexed job scales with completions equal to
    /// parallelism) completions are immutable; the template may change only while the job is suspended.
    /// </summary>
    public static FieldErrorList ValidateUpdate(JsonObject job, JsonObject old)
    {
        var errors = Validate(job);
        var spec = job["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        var elastic = spec.StringAt("completionMode") == "Indexed" && oldSpec.StringAt("completionMode") == "Indexed"
            && spec.LongAt("completions") is { } completions && completions == spec.LongAt("parallelism");
        if (!elastic)
        {
            errors.AddImmutable(spec["completions"], oldSpec["completions"], _spec.Child("completions"));
        }

        errors.AddImmutable(spec["selector"], oldSpec["selector"], _spec.Child("selector"), GoValue.LabelSelector);
        if (oldSpec.BoolAt("suspend") != true)
        {
            errors.AddImmutable(spec["template"], oldSpec["template"], _spec.Child("template"));
        }

        errors.AddImmutable(spec["completionMode"], oldSpec["completionMode"], _spec.Child("completionMode"));
        errors.AddImmutable(spec["podFailurePolicy"], oldSpec["podFailurePolicy"], _spec.Child("podFailurePolicy"));
        return errors;
    }

    /// <summary>validateJobSpec, shared with CronJob's jobTemplate: counts, completion mode, pod template, restart policy.</summary>
    public static void ValidateSpec(FieldErrorList errors, JsonObject spec, FieldPath path)
    {
        foreach (var field in new[] { "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished" })
        {
            errors.AddNonnegative(spec, field, path.Child(field));
        }

        var mode = spec.StringAt("completionMode");
        if (mode is not null)
        {
            errors.AddEnum(mode, path.Child("completionMode"), ["NonIndexed", "Indexed"]);
            if (mode == "Indexed" && spec["completions"] is null)
            {
                errors.Add(FieldError.Required(path.Child("completions"), "when completion mode is Indexed"));
            }
        }

        PodSpecValidation.ValidateTemplate(errors, spec.ObjectAt("template"), path.Child("template"));
        errors.AddTemplateRestartPolicy(spec, path, "OnFailure", "Never");
    }
}
