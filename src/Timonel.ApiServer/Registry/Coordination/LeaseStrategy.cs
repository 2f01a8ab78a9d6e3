using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Coordination;

/// <summary>Leases (pkg/registry/coordination/lease/strategy.go): a spec without status or generation; HOLDER is the holder identity.</summary>
public sealed class LeaseStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Holder", "string", (lease, _) => lease.StringAt("spec", "holderIdentity") ?? "", 0, "", "holderIdentity contains the identity of the holder of a current lease."),
        CommonColumns.Age,
    ];

    public override FieldErrorList Validate(JsonObject obj) => LeaseValidation.Validate(obj);
}
