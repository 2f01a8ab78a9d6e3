using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>ConfigMaps (pkg/registry/core/configmap/strategy.go): data only; DATA counts data and binaryData keys.</summary>
public sealed class ConfigMapStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Data", "string", (cm, _) => TableCells.CountOf(cm["data"]) + TableCells.CountOf(cm["binaryData"]), 0, "", "Data contains the configuration data."),
        CommonColumns.Age,
    ];

    public override FieldErrorList Validate(JsonObject obj) => ConfigDataValidation.ValidateConfigMap(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => ConfigDataValidation.ValidateConfigMapUpdate(updated, old);
}
