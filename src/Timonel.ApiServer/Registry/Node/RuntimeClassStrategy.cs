using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Node;

/// <summary>RuntimeClasses (pkg/registry/node/runtimeclass/strategy.go): all data; HANDLER is the CRI handler.</summary>
public sealed class RuntimeClassStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Handler", "string", (rc, _) => rc.StringAt("handler") ?? "", 0, "", ""),
        CommonColumns.Age,
    ];

    public override FieldErrorList Validate(JsonObject obj) => RuntimeClassValidation.Validate(obj);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => RuntimeClassValidation.ValidateUpdate(updated, old);
}
