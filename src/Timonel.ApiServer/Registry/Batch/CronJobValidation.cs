using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Cron;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>CronJobs (upstream's ValidateCronJobCreate and ValidateCronJobUpdate in pkg/apis/batch/validation).</summary>
internal static partial class CronJobValidation
{
    // A job's name is the cron job's plus an 11-character suffix and must stay a 63-character label.
    private const int MaxNameLength = 52;

    private static readonly FieldPath _spec = FieldPath.Root("spec");



    public static FieldErrorList ValidateCreate(JsonObject cronJob)
    {
        var errors = ValidateSpec(cronJob, old: null);
        if (cronJob.StringAt("metadata", "name") is { Length: > MaxNameLength } name)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata", "name"), name, "must be no more than 52 characters"));
        }

        return errors;
    }

    /// <summary>The 52-character name limit is skipped on update, as upstream, so old cron jobs stay editable.</summary>
    public static FieldErrorList ValidateUpdate(JsonObject cronJob, JsonObject old) => ValidateSpec(cronJob, old);

    private static FieldErrorList ValidateSpec(JsonObject cronJob, JsonObject? old)
    {
        var errors = new FieldErrorList();
        var spec = cronJob["spec"] as JsonObject ?? [];
        var schedule = spec.Text("schedule");
        if (schedule.Length == 0)
        {
            errors.Add(FieldError.Required(_spec.Child("schedule")));
        }
        else
        {
            ValidateSchedule(errors, schedule, spec.StringAt("timeZone") is not null, old.StringAt("spec", "schedule")?.Contains("TZ", StringComparison.Ordinal) == true);
        }

        errors.AddNonnegative(spec, "startingDeadlineSeconds", _spec.Child("startingDeadlineSeconds"));
        errors.AddEnum(spec.StringAt("concurrencyPolicy"), _spec.Child("concurrencyPolicy"), ["Allow", "Forbid", "Replace"]);
        var jobTemplatePath = _spec.Child("jobTemplate");
        JobValidation.ValidateSpec(errors, spec.ObjectAt("jobTemplate", "spec") ?? [], jobTemplatePath.Child("spec"));
        errors.AddNonnegative(spec, "successfulJobsHistoryLimit", _spec.Child("successfulJobsHistoryLimit"));
        errors.AddNonnegative(spec, "failedJobsHistoryLimit", _spec.Child("failedJobsHistoryLimit"));
        ValidateTimeZone(errors, spec);
        return errors;
    }

    /// <summary>validateScheduleFormat: a schedule robfig/cron parses, and no TZ= prefix (the timeZone field replaces it).</summary>
    private static void ValidateSchedule(FieldErrorList errors, string schedule, bool hasTimeZone, bool allowTz)
    {
        var path = _spec.Child("schedule");
        if (CronSchedule.Error(schedule) is { } error)
        {
            errors.Add(FieldError.Invalid(path, schedule, error));
        }

        if (schedule.Contains("TZ", StringComparison.Ordinal))
        {
            if (allowTz && hasTimeZone)
            {
                errors.Add(FieldError.Invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            }
            else if (!allowTz)
            {
                errors.Add(FieldError.Invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }
    }

    /// <summary>validateTimeZone (pkg/apis/batch/validation/validation.go): an IANA name Go's LoadLocation finds.</summary>
    private static void ValidateTimeZone(FieldErrorList errors, JsonObject spec)
    {
        if (spec["timeZone"] is null)
        {
            return;
        }

        var path = _spec.Child("timeZone");
        var timeZone = spec.Text("timeZone");
        if (timeZone.Length == 0)
        {
            errors.Add(FieldError.Invalid(path, timeZone, "timeZone must be nil or non-empty string"));
            return;
        }

        if (timeZone.Split('/').Any(part => part is "." or ".." || part.StartsWith('-') || !TimeZonePart().IsMatch(part)))
        {
            errors.Add(FieldError.Invalid(path, timeZone, "unknown time zone " + timeZone));
            return;
        }

        if (string.Equals(timeZone, "Local", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(FieldError.Invalid(path, timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        }

        if (!GoLocation.TryLoad(timeZone, TimeZoneInfo.Utc, out _, out var error))
        {
            errors.Add(FieldError.Invalid(path, timeZone, error));
        }
    }

    // validTimeZoneCharacters: one part of an IANA name (digits and '+' tolerated for legacy names).
    [GeneratedRegex(@"^[A-Za-z\.\-_0-9+]{1,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TimeZonePart();
}
