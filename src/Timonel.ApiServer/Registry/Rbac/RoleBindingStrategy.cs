using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.Rbac;

/// <summary>
/// RoleBindings and ClusterRoleBindings (pkg/registry/rbac/rolebinding, clusterrolebinding; pkg/apis/rbac/v1/defaults.go:
/// roleRef and User/Group subjects default to the rbac.authorization.k8s.io group, ServiceAccount subjects to the core group).
/// <paramref name="namespaced"/> tells a RoleBinding from a ClusterRoleBinding.
/// </summary>
public sealed class RoleBindingStrategy(bool namespaced) : ResourceStrategyBase
{
    private const string RbacGroup = RbacValidation.Group;

    protected override bool HasSpecAndStatus => false;

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        new("Role", "string", (rb, _) => $"{rb.StringAt("roleRef", "kind")}/{rb.StringAt("roleRef", "name")}", 0, "", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
        CommonColumns.Age,
        new("Users", "string", (rb, _) => Subjects(rb, "User"), 1, "", "Users in the roleBinding"),
        new("Groups", "string", (rb, _) => Subjects(rb, "Group"), 1, "", "Groups in the roleBinding"),
        new("ServiceAccounts", "string", (rb, _) => Subjects(rb, "ServiceAccount"), 1, "", "ServiceAccounts in the roleBinding"),
    ];

    public override void ApplyDefaults(JsonObject obj)
    {
        var roleRef = obj.Child("roleRef");
        if (string.IsNullOrEmpty(roleRef.StringAt("apiGroup")))
        {
            roleRef["apiGroup"] = RbacGroup;
        }

        foreach (var subject in obj.ArrayAt("subjects").Objects())
        {
            // A ServiceAccount subject's group stays the (omitted) core group.
            if (string.IsNullOrEmpty(subject.StringAt("apiGroup")) && subject.StringAt("kind") is "User" or "Group")
            {
                subject["apiGroup"] = RbacGroup;
            }
        }
    }

    public override ValidateNameFunc NameValidation => RbacValidation.ValidateName;

    public override FieldErrorList Validate(JsonObject obj) => RbacValidation.ValidateBinding(obj, namespaced);

    public override FieldErrorList ValidateUpdate(JsonObject updated, JsonObject old) => RbacValidation.ValidateBindingUpdate(updated, old, namespaced);

    // rbac.SubjectsStrings: names of users and groups, namespace/name of service accounts, joined with ", ".
    private static string Subjects(JsonObject binding, string kind) =>
        string.Join(", ", binding.ArrayAt("subjects").Objects()
            .Where(s => s.StringAt("kind") == kind)
            .Select(s => kind == "ServiceAccount" ? $"{s.StringAt("namespace")}/{s.StringAt("name")}" : s.StringAt("name") ?? ""));
}
