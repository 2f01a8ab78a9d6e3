using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Rbac;

/// <summary>
/// Roles and ClusterRoles (pkg/registry/rbac/role, clusterrole): data only, and without a printer upstream, so the
/// default NAME, CREATED AT table. <paramref name="namespaced"/> tells a Role from a ClusterRole.
/// </summary>
public sealed class RoleStrategy(bool namespaced) : ResourceStrategyBase
{
    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns => CommonColumns.DefaultTable;

    public override ValidateNameFunc NameValidation => RbacValidation.ValidateName;

    public override FieldErrorList Validate(JsonObject obj) => RbacValidation.ValidateRole(obj, namespaced);
}
