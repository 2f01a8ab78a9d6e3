using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Policy;

/// <summary>
/// PodDisruptionBudgets (pkg/registry/policy/poddisruptionbudget/strategy.go): status reset on create to its zero
/// value, generation counts spec changes. MIN AVAILABLE and MAX UNAVAILABLE show "N/A" when unset (printPodDisruptionBudget).
/// </summary>
public sealed class PodDisruptionBudgetStrategy : ResourceStrategyBase
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Min Available", "string", (pdb, _) => IntOrPercentText(pdb.At("spec", "minAvailable")), 0, "", "The minimum number of pods that must be available."),
        new("Max Unavailable", "string", (pdb, _) => IntOrPercentText(pdb.At("spec", "maxUnavailable")), 0, "", "The maximum number of pods that may be unavailable."),
        new("Allowed Disruptions", "integer", (pdb, _) => pdb.LongAt("status", "disruptionsAllowed") ?? 0, 0, "", "Calculated number of pods that may be disrupted at this time."),
        CommonColumns.Age,
    ];

    public override void PrepareForCreate(JsonObject created)
    {
        base.PrepareForCreate(created);
        // policy.PodDisruptionBudgetStatus{}: its counters have no omitempty.
        created["status"] = new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };
    }

    public override FieldErrorList Validate(JsonObject obj) => PodDisruptionBudgetValidation.Validate(obj);

    private static string IntOrPercentText(JsonNode? value) => value switch
    {
        null => "N/A",
        JsonValue text when text.TryGetValue<string>(out var s) => s,
        JsonValue number => (number.AsLong() ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}
