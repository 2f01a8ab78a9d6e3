using System.Globalization;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>
/// DaemonSets (pkg/registry/apps/daemonset/strategy.go; SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1
/// and maxSurge 0, ten revisions of history). The template generation lives in the
/// <c>deprecated.daemonset.template.generation</c> annotation, as upstream's v1 conversion keeps it: 1 on create
/// unless given, unchanged by writes, one more when spec.template changes.
/// </summary>
public sealed class DaemonSetStrategy : ResourceStrategyBase
{
    /// <summary>apps/v1 DeprecatedTemplateGeneration (upstream's internal spec.templateGeneration in v1).</summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        WorkloadColumns.Count("Desired", "The total number of nodes that should be running the daemon pod.", "status", "desiredNumberScheduled"),
        WorkloadColumns.Count("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", "status", "currentNumberScheduled"),
        WorkloadColumns.Count("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", "status", "numberReady"),
        WorkloadColumns.Count("Up-to-date", "The total number of nodes that are running updated daemon pod", "status", "updatedNumberScheduled"),
        WorkloadColumns.Count("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", "status", "numberAvailable"),
        new("Node Selector", "string", (ds, _) => LabelFormat.FormatLabels(ds.ObjectAt("spec", "template", "spec", "nodeSelector")), 0, "", "NodeSelector is a selector which must be true for the pod to fit on a node."),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
        WorkloadColumns.Selector("spec", "selector"),
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);

        // Convert_v1_DaemonSet_To_apps_DaemonSet reads the annotation (a value that does not parse is dropped), then
        // PrepareForCreate raises a generation below 1 to 1.
        var generation = TemplateGeneration(created) is { } given && given >= 1 ? given : 1;
        SetTemplateGeneration(created, generation);
    }

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);

        // Writers cannot set the template generation; a changed template raises it (daemonSetStrategy.PrepareForUpdate).
        var generation = TemplateGeneration(old) ?? 0;
        if (!JsonNodeExtensions.DeepEqual(updated.At("spec", "template"), old.At("spec", "template")))
        {
            generation++;
        }

        SetTemplateGeneration(updated, generation);
    }

    public override FieldErrorList Validate(JsonObject obj) => WorkloadValidation.ValidateDaemonSet(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) =>
        WorkloadValidation.ValidateSelectorUpdate(WorkloadValidation.ValidateDaemonSet(updated), updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        var strategy = spec.Child("updateStrategy");
        ContainerDefaults.SetIfEmpty(strategy, "type", "RollingUpdate");
        if (strategy.StringAt("type") == "RollingUpdate")
        {
            var rollingUpdate = strategy.Child("rollingUpdate");
            rollingUpdate.SetDefault("maxUnavailable", 1);
            rollingUpdate.SetDefault("maxSurge", 0);
        }

        spec.SetDefault("revisionHistoryLimit", 10);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
    }

    private static long? TemplateGeneration(JsonObject obj) =>
        long.TryParse(obj.StringAt("metadata", "annotations", TemplateGenerationAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static void SetTemplateGeneration(JsonObject obj, long generation)
    {
        if (generation == 0)
        {
            // Upstream's conversion writes the annotation only for a non-zero generation.
            obj.ObjectAt("metadata", "annotations")?.Remove(TemplateGenerationAnnotation);
            return;
        }

        obj.Metadata().Child("annotations")[TemplateGenerationAnnotation] = generation.ToString(CultureInfo.InvariantCulture);
    }
}
