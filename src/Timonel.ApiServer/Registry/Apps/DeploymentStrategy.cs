using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Apps;

/// <summary>
/// Deployments (pkg/registry/apps/deployment/strategy.go; pkg/apis/apps/v1/defaults.go SetDefaults_Deployment).
/// Annotation changes also bump the generation, because the controller copies annotations to replica sets.
/// </summary>
public sealed class DeploymentStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Ready", "string", (d, _) => $"{d.LongAt("status", "readyReplicas") ?? 0}/{d.LongAt("spec", "replicas") ?? 0}", 0, "", "Number of the pod with ready state"),
        new("Up-to-date", "string", (d, _) => d.LongAt("status", "updatedReplicas") ?? 0, 0, "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "string", (d, _) => d.LongAt("status", "availableReplicas") ?? 0, 0, "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        CommonColumns.Age,
        WorkloadColumns.Containers("spec", "template"),
        WorkloadColumns.Images("spec", "template"),
        // printDeployment prints selector.String() as is: empty, not <none>, for an empty selector.
        new("Selector", "string", (d, _) => LabelFormat.SelectorString(d.ObjectAt("spec", "selector")), 1, "", "Label selector for pods."),
    ];

    public override void PrepareForUpdate(JsonObject updated, JsonObject old)
    {
        base.PrepareForUpdate(updated, old);
        var generation = old.LongAt("metadata", "generation") ?? 1;
        if (updated.LongAt("metadata", "generation") == generation
            && !JsonNodeExtensions.DeepEqual(updated.At("metadata", "annotations"), old.At("metadata", "annotations")))
        {
            updated.Metadata()["generation"] = generation + 1;
        }
    }

    public override FieldErrorList Validate(JsonObject obj) => WorkloadValidation.ValidateDeployment(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) =>
        WorkloadValidation.ValidateSelectorUpdate(WorkloadValidation.ValidateDeployment(updated), updated, old);

    public override void ApplyDefaults(JsonObject obj)
    {
        var spec = obj.Child("spec");
        spec.SetDefault("replicas", 1);
        var strategy = spec.Child("strategy");
        ContainerDefaults.SetIfEmpty(strategy, "type", "RollingUpdate");
        if (strategy.StringAt("type") == "RollingUpdate")
        {
            var rollingUpdate = strategy.Child("rollingUpdate");
            rollingUpdate.SetDefault("maxUnavailable", "25%");
            rollingUpdate.SetDefault("maxSurge", "25%");
        }

        spec.SetDefault("revisionHistoryLimit", 10);
        spec.SetDefault("progressDeadlineSeconds", 600);
        PodSpecDefaults.ApplyToTemplate(spec.ObjectAt("template"));
    }
}
