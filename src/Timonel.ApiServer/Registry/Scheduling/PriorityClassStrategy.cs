using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Registry.Scheduling;

/// <summary>
/// PriorityClasses (pkg/registry/scheduling/priorityclass/strategy.go; SetDefaults_PriorityClass in
/// pkg/apis/scheduling/v1/defaults.go: preemptionPolicy PreemptLowerPriority). All data, no status. The system
/// classes cannot be deleted (the registry's REST.Delete in pkg/registry/scheduling/priorityclass/storage).
/// </summary>
public sealed class PriorityClassStrategy : ResourceStrategyBase, IDeleteAdmissionStrategy
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Value", "integer", (pc, _) => pc.LongAt("value") ?? 0, 0, "", "value represents the integer value of this priority class."),
        new("Global-Default", "boolean", (pc, _) => pc.BoolAt("globalDefault") ?? false, 0, "", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
        CommonColumns.Age,
        new("PreemptionPolicy", "string", (pc, _) => pc.StringAt("preemptionPolicy") ?? "", 0, "", "preemptionPolicy is the Policy for preempting pods with lower priority."),
    ];

    public void AdmitDelete(string name)
    {
        if (SystemPriorityClasses.All.Any(c => c.Name == name))
        {
            throw StatusException.Forbidden("scheduling.k8s.io", "priorityclasses", name, "this is a system priority class and cannot be deleted");
        }
    }

    public override void ApplyDefaults(JsonObject obj) => ContainerDefaults.SetIfEmpty(obj, "preemptionPolicy", "PreemptLowerPriority");

    public override FieldErrorList Validate(JsonObject obj) => PriorityClassValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => PriorityClassValidation.ValidateUpdate(updated, old);
}
