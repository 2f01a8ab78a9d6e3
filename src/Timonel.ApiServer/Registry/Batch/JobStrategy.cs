using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Apps;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>Jobs (pkg/registry/batch/job/strategy.go): a generated selector on create, and the job printer.</summary>
public sealed class JobStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Status", "string", (job, _) => Status(job), 0, "", "Status of the job."),
        new("Completions", "string", (job, _) => Completions(job), 0, "", "The number of pods which reached phase Succeeded."),
        new("Duration", "string", (job, context) => Duration(job, context), 0, "", "Time required to complete the job."),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
        WorkloadColumns.Selector("spec", "selector"),
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        JobDefaults.GenerateSelector(created);
    }

    public override void ApplyDefaults(JsonObject obj) => JobDefaults.Apply(obj);

    public override FieldErrorList Validate(JsonObject obj) => JobValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => JobValidation.ValidateUpdate(updated, old);

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "status.successful" ? (obj.LongAt("status", "succeeded") ?? 0).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>"1/1"; without completions "0/1", or "0/1 of 3" for a parallel work queue.</summary>
    public static string Completions(JsonObject job)
    {
        var succeeded = job.LongAt("status", "succeeded") ?? 0;
        if (job.LongAt("spec", "completions") is { } completions)
        {
            return $"{succeeded}/{completions}";
        }

        var parallelism = job.LongAt("spec", "parallelism") ?? 0;
        return parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
    }

    /// <summary>The first of Complete, Failed, Terminating, Suspended, FailureTarget that holds, else Running.</summary>
    public static string Status(JsonObject job)
    {
        var conditions = job.ArrayAt("status", "conditions").Objects().ToList();

        // hasJobCondition looks at the first condition of the type only.
        bool Has(string type) => conditions.FirstOrDefault(c => c.StringAt("type") == type)?.StringAt("status") == "True";
        if (Has("Complete"))
        {
            return "Complete";
        }

        if (Has("Failed"))
        {
            return "Failed";
        }

        if (job.DeletionTimestamp() is not null)
        {
            return "Terminating";
        }

        return Has("Suspended") ? "Suspended" : Has("FailureTarget") ? "FailureTarget" : "Running";
    }

    private static string Duration(JsonObject job, TableContext context)
    {
        if (ObjectMetadata.ParseTimestamp(job.StringAt("status", "startTime")) is not { } start)
        {
            return "";
        }

        var end = ObjectMetadata.ParseTimestamp(job.StringAt("status", "completionTime")) ?? context.Now;
        return HumanDuration.Format(end - start);
    }
}
