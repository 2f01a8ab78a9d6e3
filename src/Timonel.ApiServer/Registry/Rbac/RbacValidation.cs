using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry.Validation;

namespace Timonel.ApiServer.Registry.Rbac;

/// <summary>
/// Roles, ClusterRoles and their bindings (upstream's pkg/apis/rbac/validation/validation.go): policy rules,
/// the role reference (fixed once created) and subjects. Names need only be safe as a URL path segment, so
/// "system:aggregate-to-view" is fine.
/// </summary>
internal static class RbacValidation
{
    /// <summary>rbac.GroupName.</summary>
    public const string Group = "rbac.authorization.k8s.io";

    private static readonly FieldPath _roleRef = FieldPath.Root("roleRef");

    /// <summary>minimalNameRequirements: upstream ignores the generateName prefix flag here.</summary>
    public static IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.IsValidPathSegmentName(name);

    /// <summary>ValidateRole / ValidateClusterRole: every rule; only cluster roles may name non-resource URLs.</summary>
    public static FieldErrorList ValidateRole(JsonObject role, bool namespaced)
    {
        var errors = new FieldErrorList();
        var index = 0;
        foreach (var rule in role.ArrayAt("rules").Objects())
        {
            ValidateRule(errors, rule, namespaced, FieldPath.Root("rules").Index(index++));
        }

        return errors;
    }

    /// <summary>ValidateRoleBinding / ValidateClusterRoleBinding: the role reference and each subject.</summary>
    public static FieldErrorList ValidateBinding(JsonObject binding, bool namespaced)
    {
        var errors = new FieldErrorList();
        var apiGroup = binding.StringAt("roleRef", "apiGroup") ?? string.Empty;
        if (apiGroup != Group)
        {
            errors.Add(FieldError.NotSupported(_roleRef.Child("apiGroup"), apiGroup, [Group]));
        }

        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        var kind = binding.StringAt("roleRef", "kind") ?? string.Empty;
        if (!kinds.Contains(kind))
        {
            errors.Add(FieldError.NotSupported(_roleRef.Child("kind"), kind, kinds));
        }

        var name = binding.StringAt("roleRef", "name") ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(_roleRef.Child("name")));
        }
        else
        {
            errors.AddInvalid(_roleRef.Child("name"), name, NameValidation.IsValidPathSegmentName(name));
        }

        var index = 0;
        foreach (var subject in binding.ArrayAt("subjects").Objects())
        {
            ValidateSubject(errors, subject, namespaced, FieldPath.Root("subjects").Index(index++));
        }

        return errors;
    }

    /// <summary>ValidateRoleBindingUpdate: the role reference may not change (delete and recreate the binding instead).</summary>
    public static FieldErrorList ValidateBindingUpdate(JsonObject binding, JsonObject old, bool namespaced)
    {
        var errors = ValidateBinding(binding, namespaced);
        var roleRef = RoleRef(binding);
        if (!JsonNode.DeepEquals(roleRef, RoleRef(old)))
        {
            // The rbac.RoleRef value, as %#v prints it.
            var shown = GoValue.Struct("rbac.RoleRef", ("APIGroup", roleRef.StringAt("apiGroup") ?? ""), ("Kind", roleRef.StringAt("kind") ?? ""), ("Name", roleRef.StringAt("name") ?? ""));
            errors.Add(FieldError.Invalid(_roleRef, shown, "cannot change roleRef"));
        }

        return errors;
    }

    /// <summary>validatePolicyRule: verbs always; then either non-resource URLs alone, or API groups and resources.</summary>
    private static void ValidateRule(FieldErrorList errors, JsonObject rule, bool namespaced, FieldPath path)
    {
        if (Strings(rule, "verbs").Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("verbs"), "verbs must contain at least one value"));
        }

        var apiGroups = Strings(rule, "apiGroups");
        var resources = Strings(rule, "resources");
        var resourceNames = Strings(rule, "resourceNames");
        var urls = Strings(rule, "nonResourceURLs");
        if (urls.Count > 0)
        {
            if (namespaced)
            {
                errors.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
            }

            if (apiGroups.Count > 0 || resources.Count > 0 || resourceNames.Count > 0)
            {
                errors.Add(FieldError.Invalid(path.Child("nonResourceURLs"), urls, "rules cannot apply to both regular resources and non-resource URLs"));
            }

            return;
        }

        if (apiGroups.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("apiGroups"), "resource rules must supply at least one api group"));
        }

        if (resources.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("resources"), "resource rules must supply at least one resource"));
        }

        if (resourceNames.Count > 0 && resources.Count > 1)
        {
            errors.Add(FieldError.Required(path.Child("resourceNames"), "resource names cannot apply to multiple resources"));
        }
    }

    /// <summary>validateRoleBindingSubject: a name; ServiceAccounts in the core group (with a namespace in cluster bindings), users and groups in RBAC's.</summary>
    private static void ValidateSubject(FieldErrorList errors, JsonObject subject, bool namespaced, FieldPath path)
    {
        var name = subject.Text("name");
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }

        var apiGroup = subject.Text("apiGroup");
        switch (subject.Text("kind"))
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    errors.AddInvalid(path.Child("name"), name, NameValidation.NameIsDnsSubdomain(name, false));
                }

                if (apiGroup.Length > 0)
                {
                    errors.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [string.Empty]));
                }

                if (!namespaced && subject.Text("namespace").Length == 0)
                {
                    errors.Add(FieldError.Required(path.Child("namespace")));
                }

                break;
            case var kind and ("User" or "Group"):
                if (name.Length == 0)
                {
                    errors.Add(FieldError.Invalid(path.Child("name"), name, kind.ToLowerInvariant() + " name cannot be empty"));
                }

                if (apiGroup != Group)
                {
                    errors.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [Group]));
                }

                break;
            case var other:
                errors.Add(FieldError.NotSupported(path.Child("kind"), other, ["ServiceAccount", "User", "Group"]));
                break;
        }
    }

    // The reference as upstream compares it: all three fields, absent ones empty.
    private static JsonObject RoleRef(JsonObject binding) => new()
    {
        ["apiGroup"] = binding.StringAt("roleRef", "apiGroup") ?? string.Empty,
        ["kind"] = binding.StringAt("roleRef", "kind") ?? string.Empty,
        ["name"] = binding.StringAt("roleRef", "name") ?? string.Empty,
    };

    private static IReadOnlyList<string> Strings(JsonObject rule, string field) => JsonFields.GetStringList(rule, field);
}
