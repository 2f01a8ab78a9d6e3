using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Apps;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// ReplicationControllers (pkg/registry/core/replicationcontroller/strategy.go; SetDefaults_ReplicationController in
/// pkg/apis/core/v1/defaults.go: selector and labels from the template's labels when empty, one replica).
/// </summary>
public sealed class ReplicationControllerStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        WorkloadColumns.Count("Desired", "Replicas is the number of desired replicas.", "spec", "replicas"),
        WorkloadColumns.Count("Current", "Replicas is the most recently observed number of replicas.", "status", "replicas"),
        WorkloadColumns.Count("Ready", "The number of ready replicas for this replication controller.", "status", "readyReplicas"),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
        // labels.FormatLabels of the map selector (printReplicationController).
        new("Selector", "string", (rc, _) => LabelFormat.FormatLabels(rc.ObjectAt("spec", "selector")), 1, "", "Selector is a label query over pods that should match the Replicas count."),
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        // Upstream resets status to its zero value, whose replicas field has no omitempty.
        created["status"] = new JsonObject { ["replicas"] = 0 };
    }

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        if (spec.ObjectAt("template", "metadata", "labels") is { } labels)
        {
            if (spec.ObjectAt("selector") is not { Count: > 0 })
            {
                spec["selector"] = labels.DeepClone();
            }

            var metadata = obj.Metadata();
            if (metadata.ObjectAt("labels") is not { Count: > 0 })
            {
                metadata["labels"] = labels.DeepClone();
            }
        }

        spec.SetDefault("replicas", 1);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
    }

    public override FieldErrorList Validate(JsonObject obj) => ReplicationControllerValidation.Validate(obj);

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "status.replicas" ? (obj.LongAt("status", "replicas") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
