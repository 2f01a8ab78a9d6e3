using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Rbac;

/// <summary>
/// Roles and ClusterRoles (pkg/registry/rbac/role, clusterrole): data only, and without a printer upstream, so the
/// default NAME, CREATED AT table.
/// </summary>
public sealed class RoleStrategy : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns => CommonColumns.DefaultTable;
}
