using System.Text.Json.Nodes;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Auth.Rbac;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Admission;

/// <summary>
/// Escalation prevention on RBAC writes (upstream's pkg/registry/rbac/*/policybased storage, which wraps the RBAC
/// stores rather than being an admission plugin; here it judges the same writes as a validating plugin). Creating or
/// updating a Role or ClusterRole is refused unless the user already holds every rule it grants, or may "escalate"
/// roles; creating or updating a binding is refused unless the user holds the referenced role's rules, or may "bind"
/// that role (resourceNames-aware). system:masters and the server's own writes are not checked.
/// </summary>
public sealed class RbacEscalationAdmission : IValidatingAdmissionPlugin
{
    private const string Group = "rbac.authorization.k8s.io";

    // Metadata a write may change without granting anything (upstream's IsOnlyMutatingGCFields, plus what the store sets).
    private static readonly string[] _gcMetadata = ["ownerReferences", "finalizers", "managedFields", "resourceVersion", "generation", "uid", "creationTimestamp"];

    private readonly AdmissionServices _services;

    public RbacEscalationAdmission(AdmissionServices services) => _services = services;

    public string Name => "RBACEscalationPrevention";

    public AdmittedResource? Resource => null;

    public bool Handles(AdmissionOperation operation) => operation is AdmissionOperation.Create or AdmissionOperation.Update;

    public async ValueTask ValidateAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
    {
        var resource = attributes.Resource.Plural;
        if (attributes.Resource.Group != Group || attributes.Subresource.Length > 0 || attributes.Object is not { } obj
            || resource is not ("roles" or "clusterroles" or "rolebindings" or "clusterrolebindings"))
        {
            return;
        }

        // EscalationAllowed: the server itself and system:masters.
        if (attributes.User is not { } user || user.Groups.Contains(UserInfo.MastersGroup))
        {
            return;
        }

        if (attributes.OldObject is { } old && OnlyGcFieldsChange(obj, old))
        {
            return;
        }

        var ns = attributes.Namespace ?? "";
        var name = obj.StringAt("metadata", "name") ?? attributes.Name;
        var resolver = _services.Authorizer as IRuleResolver ?? throw new InvalidOperationException("the authorizer cannot list rules");
        if (resource is "roles" or "clusterroles")
        {
            // RoleEscalationAuthorized: the escalate verb on the kind (by name only on an update; a create has none).
            var updateName = attributes.Operation == AdmissionOperation.Update ? attributes.Name : null;
            if (Allowed(user, "escalate", resource, attributes.Namespace, updateName))
            {
                return;
            }

            Refuse(resource, name, EscalationCheck.Confirm(resolver, user, ns, PolicyRule.ListFromJson(obj)));
            return;
        }

        var roleKind = obj.StringAt("roleRef", "kind") ?? "";
        var roleName = obj.StringAt("roleRef", "name") ?? "";
        var roleResource = roleKind == "Role" ? "roles" : "clusterroles";
        // BindingAuthorized: the bind verb on the referenced role, in the binding's namespace.
        if (Allowed(user, "bind", roleResource, resource == "rolebindings" ? ns : null, roleName))
        {
            return;
        }

        var role = await _services.Registry.Get(Group, roleResource).FindRecentAsync(roleKind == "Role" ? ns : null, roleName, cancellationToken).ConfigureAwait(false);
        if (role is null)
        {
            // GetRoleReferenceRules' NotFound, as the lister words it.
            Refuse(resource, name, $"{roleKind.ToLowerInvariant()}.{Group} \"{roleName}\" not found");
        }

        Refuse(resource, name, EscalationCheck.Confirm(resolver, user, ns, PolicyRule.ListFromJson(role!)));
    }

    private bool Allowed(UserInfo user, string verb, string resource, string? ns, string? name) =>
        _services.Authorizer.Authorize(user, new RequestAttributes(verb, Group, resource, null, string.IsNullOrEmpty(ns) ? null : ns, name, "")).Outcome == AuthorizationOutcome.Allow;

    private static void Refuse(string resource, string name, string? reason)
    {
        if (reason is not null)
        {
            throw StatusException.Forbidden(Group, resource, name, reason);
        }
    }

    private static bool OnlyGcFieldsChange(JsonObject obj, JsonObject old) => JsonNode.DeepEquals(WithoutGcFields(obj), WithoutGcFields(old));

    private static JsonObject WithoutGcFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in _gcMetadata)
            {
                metadata.Remove(field);
            }
        }

        return copy;
    }
}
