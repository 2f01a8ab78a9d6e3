using System.Text.Json.Nodes;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>ServiceAccounts (pkg/registry/core/serviceaccount/strategy.go): data only; SECRETS counts the listed secrets.</summary>
public sealed class ServiceAccountStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Secrets", "string", (sa, _) => TableCells.CountOf(sa["secrets"]), 0, "", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
        CommonColumns.Age,
    ];
}
