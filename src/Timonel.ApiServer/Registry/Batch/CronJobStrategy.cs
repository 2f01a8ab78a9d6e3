using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Apps;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>
/// CronJobs (pkg/registry/batch/cronjob/strategy.go; SetDefaults_CronJob: Allow, not suspended, keep 3 successful
/// and 1 failed job). The job template gets pod template defaults only, as upstream (no Job defaults).
/// </summary>
public sealed class CronJobStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Schedule", "string", (cj, _) => cj.StringAt("spec", "schedule") ?? "", 0, "", "The schedule in Cron format."),
        new("Timezone", "string", (cj, _) => cj.StringAt("spec", "timeZone") ?? "<none>", 0, "", "The time zone name for the given schedule."),
        new("Suspend", "boolean", (cj, _) => TableCells.BoolPointer(cj.BoolAt("spec", "suspend")), 0, "", "This flag tells the controller to suspend subsequent executions."),
        new("Active", "integer", (cj, _) => TableCells.CountOf(cj.At("status", "active")), 0, "", "A list of pointers to currently running jobs."),
        new("Last Schedule", "string", (cj, context) => cj.StringAt("status", "lastScheduleTime") is { } last ? TableCells.Since(last, context) : "<none>", 0, "", "Information when was the last time the job was successfully scheduled."),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "jobTemplate", "spec", "template"),
        WorkloadColumns.Images("spec", "jobTemplate", "spec", "template"),
        WorkloadColumns.Selector("spec", "jobTemplate", "spec", "selector"),
    ];

    public override FieldErrorList Validate(JsonObject obj) => CronJobValidation.ValidateCreate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => CronJobValidation.ValidateUpdate(updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        ContainerDefaults.SetIfEmpty(spec, "concurrencyPolicy", "Allow");
        spec.SetDefault("suspend", false);
        spec.SetDefault("successfulJobsHistoryLimit", 3);
        spec.SetDefault("failedJobsHistoryLimit", 1);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("jobTemplate", "spec", "template"));
    }
}
