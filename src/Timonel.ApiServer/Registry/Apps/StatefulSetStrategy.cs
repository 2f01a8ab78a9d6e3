using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>
/// StatefulSets (pkg/registry/apps/statefulset/strategy.go; SetDefaults_StatefulSet): OrderedReady, RollingUpdate
/// from partition 0, claims retained, and each volumeClaimTemplate defaulted as a PersistentVolumeClaim.
/// </summary>
public sealed class StatefulSetStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Ready", "string", (s, _) => $"{s.LongAt("status", "readyReplicas") ?? 0}/{s.LongAt("spec", "replicas") ?? 0}", 0, "", "Number of the pod with ready state"),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
    ];

    public override FieldErrorList Validate(JsonObject obj) => WorkloadValidation.ValidateStatefulSet(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => WorkloadValidation.ValidateStatefulSetUpdate(updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        ContainerDefaults.SetIfEmpty(spec, "podManagementPolicy", "OrderedReady");
        var strategy = spec.Child("updateStrategy");
        if (string.IsNullOrEmpty(strategy.StringAt("type")))
        {
            strategy["type"] = "RollingUpdate";
            strategy.SetDefault("rollingUpdate", new JsonObject());
        }

        if (strategy.StringAt("type") == "RollingUpdate" && strategy.ObjectAt("rollingUpdate") is { } rollingUpdate)
        {
            rollingUpdate.SetDefault("partition", 0);
        }

        var retention = spec.Child("persistentVolumeClaimRetentionPolicy");
        ContainerDefaults.SetIfEmpty(retention, "whenDeleted", "Retain");
        ContainerDefaults.SetIfEmpty(retention, "whenScaled", "Retain");
        spec.SetDefault("replicas", 1);
        spec.SetDefault("revisionHistoryLimit", 10);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
        foreach (var claim in spec.ArrayAt("volumeClaimTemplates").Objects())
        {
            // The templates are whole PersistentVolumeClaims and are written out with their type.
            claim.SetDefault("apiVersion", "v1");
            claim.SetDefault("kind", "PersistentVolumeClaim");
            PersistentVolumeClaimDefaults.Apply(claim);
        }
    }
}
