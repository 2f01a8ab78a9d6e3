using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;

namespace Timonel.ApiServer.Tests.Auth.Rbac;

/// <summary>The default policy (and any objects a test adds) loaded into an in-memory RBAC cache, as a started server has it.</summary>
internal static class TestPolicy
{
    public static RbacPolicyCache Cache(params string[] extraObjects)
    {
        var cache = new RbacPolicyCache();
        foreach (var role in BootstrapPolicy.AllRoles)
        {
            cache.Put(role.Namespace is null ? RbacPolicyCache.ClusterRoles : RbacPolicyCache.Roles, BootstrapPolicyReconciler.ToObject(role));
        }

        foreach (var binding in BootstrapPolicy.AllBindings)
        {
            cache.Put(binding.Namespace is null ? RbacPolicyCache.ClusterRoleBindings : RbacPolicyCache.RoleBindings, BootstrapPolicyReconciler.ToObject(binding));
        }

        foreach (var json in extraObjects)
        {
            var obj = JsonNode.Parse(json)!.AsObject();
            cache.Put(obj["kind"]!.GetValue<string>() switch
            {
                "Role" => RbacPolicyCache.Roles,
                "ClusterRole" => RbacPolicyCache.ClusterRoles,
                "RoleBinding" => RbacPolicyCache.RoleBindings,
                _ => RbacPolicyCache.ClusterRoleBindings,
            }, obj);
        }

        return cache;
    }

    /// <summary>The server's chain: system:masters, then RBAC over the default policy.</summary>
    public static AuthorizerChain DefaultChain(params string[] extraObjects) => new([new SystemMastersAuthorizer(), new RbacAuthorizer(Cache(extraObjects))]);
}
