using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Batch;

/// <summary>
/// The defaults of a Job (pkg/apis/batch/v1/defaults.go SetDefaults_Job) and the selector upstream generates for
/// jobs without a manual selector (pkg/registry/batch/job/strategy.go generateSelector).
/// </summary>
public static class JobDefaults
{
    // batch.LegacyJobNameLabel / JobNameLabel and batch.LegacyControllerUidLabel / ControllerUidLabel.
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyJobNameLabel = "job-name";
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string LegacyControllerUidLabel = "controller-uid";

    public static void Apply(JsonObject job)
    {
        var spec = job.Child("spec");
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
        }

        spec.SetDefault("parallelism", 1);

        // With a per-index backoff limit the overall one is effectively unlimited (math.MaxInt32).
        spec.SetDefault("backoffLimit", spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue);
        if (spec.ObjectAt("template", "metadata", "labels") is { Count: > 0 } templateLabels && job.ObjectAt("metadata", "labels") is null or { Count: 0 })
        {
            job.Metadata()["labels"] = templateLabels.DeepClone();
        }

        spec.SetDefault("completionMode", "NonIndexed");
        spec.SetDefault("suspend", false);
        foreach (var rule in spec.ArrayAt("podFailurePolicy", "rules").Objects())
        {
            foreach (var pattern in rule.ArrayAt("onPodConditions").Objects())
            {
                ContainerDefaults.SetIfEmpty(pattern, "status", "True");
            }
        }

        spec.SetDefault("podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
    }

    /// <summary>
    /// Labels the pod template with the job's name and uid and selects on the uid, unless the user chose
    /// spec.manualSelector. Needs metadata.name and metadata.uid set.
    /// </summary>
    public static void GenerateSelector(JsonObject job)
    {
        var spec = job.Child("spec");
        if (spec.BoolAt("manualSelector") == true)
        {
            return;
        }

        var name = job.Name() ?? "";
        var uid = job.Uid() ?? "";
        var labels = spec.Child("template").Child("metadata").Child("labels");

        // Labels the user set win; a conflict is for validation to reject.
        labels.SetDefault(LegacyJobNameLabel, name);
        labels.SetDefault(JobNameLabel, name);
        labels.SetDefault(LegacyControllerUidLabel, uid);
        labels.SetDefault(ControllerUidLabel, uid);
        spec.Child("selector").Child("matchLabels").SetDefault(ControllerUidLabel, uid);
    }
}
