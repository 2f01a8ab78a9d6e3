using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>ReplicaSets (pkg/registry/apps/replicaset/strategy.go; SetDefaults_ReplicaSet: one replica).</summary>
public sealed class ReplicaSetStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        WorkloadColumns.Count("Desired", "Replicas is the number of desired replicas.", "spec", "replicas"),
        WorkloadColumns.Count("Current", "Replicas is the most recently observed number of replicas.", "status", "replicas"),
        WorkloadColumns.Count("Ready", "The number of ready replicas for this replica set.", "status", "readyReplicas"),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
        WorkloadColumns.Selector("spec", "selector"),
    ];

    public override FieldErrorList Validate(JsonObject obj) => WorkloadValidation.ValidateReplicaSet(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) =>
        WorkloadValidation.ValidateSelectorUpdate(WorkloadValidation.ValidateReplicaSet(updated), updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.SetDefault("replicas", 1);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
    }

    public override string? GetSelectableField(JsonObject obj, string field) =>
        field == "status.replicas" ? (obj.LongAt("status", "replicas") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
