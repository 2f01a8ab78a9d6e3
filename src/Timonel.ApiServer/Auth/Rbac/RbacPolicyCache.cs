using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Roles, ClusterRoles and their bindings held in memory for the authorizer (upstream's RBAC authorizer reads them
/// through informers' listers). Bindings are indexed by subject, per namespace for RoleBindings, so deciding a request
/// looks up the user's name, groups and service account and reads only the bindings naming them.
/// </summary>
public sealed class RbacPolicyCache
{
    public const string Roles = "roles";
    public const string ClusterRoles = "clusterroles";
    public const string RoleBindings = "rolebindings";
    public const string ClusterRoleBindings = "clusterrolebindings";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<PolicyRule>> _clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> _roles = [];
    private readonly Dictionary<(string Namespace, string Name), RbacBinding> _bindings = [];
    private readonly Dictionary<(string Namespace, RbacSubject Subject), SortedDictionary<string, RbacBinding>> _bySubject = [];

    /// <summary>Forgets everything (before a relist).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _clusterRoles.Clear();
            _roles.Clear();
            _bindings.Clear();
            _bySubject.Clear();
        }
    }

    /// <summary>Takes in one stored object of <paramref name="resource"/> (roles, clusterroles, rolebindings, clusterrolebindings).</summary>
    public void Put(string resource, JsonObject obj)
    {
        var ns = obj.StringAt("metadata", "namespace") ?? "";
        var name = obj.StringAt("metadata", "name") ?? "";
        lock (_lock)
        {
            switch (resource)
            {
                case ClusterRoles:
                    _clusterRoles[name] = PolicyRule.ListFromJson(obj);
                    break;
                case Roles:
                    _roles[(ns, name)] = PolicyRule.ListFromJson(obj);
                    break;
                case RoleBindings or ClusterRoleBindings:
                    var bindingNs = resource == ClusterRoleBindings ? "" : ns;
                    RemoveBindingLocked(bindingNs, name);
                    AddBindingLocked(ToBinding(bindingNs, name, obj));
                    break;
            }
        }
    }

    public void Remove(string resource, string ns, string name)
    {
        lock (_lock)
        {
            switch (resource)
            {
                case ClusterRoles:
                    _clusterRoles.Remove(name);
                    break;
                case Roles:
                    _roles.Remove((ns, name));
                    break;
                case RoleBindings:
                    RemoveBindingLocked(ns, name);
                    break;
                case ClusterRoleBindings:
                    RemoveBindingLocked("", name);
                    break;
            }
        }
    }

    /// <summary>
    /// Upstream's VisitRulesFor: the rules of every ClusterRoleBinding that applies to <paramref name="user"/>, then
    /// of every RoleBinding in <paramref name="ns"/> (when given) that does. <paramref name="visitor"/> gets each
    /// binding's rules, or the error naming a missing role; it returns false to stop.
    /// </summary>
    public void VisitRulesFor(UserInfo user, string? ns, Func<RbacBinding, IReadOnlyList<PolicyRule>?, string?, bool> visitor)
    {
        List<(RbacBinding Binding, IReadOnlyList<PolicyRule>? Rules)> visits = [];
        lock (_lock)
        {
            Collect(user, "", visits);
            if (!string.IsNullOrEmpty(ns))
            {
                Collect(user, ns, visits);
            }
        }

        foreach (var (binding, rules) in visits)
        {
            if (!visitor(binding, rules, rules is null ? MissingRole(binding) : null))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Whether a rule of a binding that applies to <paramref name="user"/> allows <paramref name="request"/> (the
    /// authorizer's hot path: no allocation beyond the subject keys). When none does, the errors met: bindings naming
    /// a role that does not exist.
    /// </summary>
    public bool Allows(UserInfo user, RequestAttributes request, out List<string>? errors)
    {
        errors = null;
        lock (_lock)
        {
            if (AllowsLocked(user, "", request, ref errors))
            {
                return true;
            }

            return !string.IsNullOrEmpty(request.Namespace) && AllowsLocked(user, request.Namespace, request, ref errors);
        }
    }

    /// <summary>
    /// GetRoleReferenceRules: the rules of the role a binding in <paramref name="ns"/> refers to, or the NotFound text
    /// when there is no such role.
    /// </summary>
    public (IReadOnlyList<PolicyRule>? Rules, string? Error) RoleReferenceRules(string kind, string name, string ns)
    {
        lock (_lock)
        {
            var rules = ResolveLocked(kind, name, ns);
            return (rules, rules is null ? MissingRole(new RbacBinding(ns, "", kind, name, [])) : null);
        }
    }

    // The NotFound error upstream's listers return: clusterrole.rbac.authorization.k8s.io "x" not found.
    private static string MissingRole(RbacBinding binding) =>
        $"{(binding.RoleKind == "Role" ? "role" : "clusterrole")}.rbac.authorization.k8s.io \"{binding.RoleName}\" not found";

    private bool AllowsLocked(UserInfo user, string ns, RequestAttributes request, ref List<string>? errors)
    {
        foreach (var subject in RbacSubject.Of(user))
        {
            if (!_bySubject.TryGetValue((ns, subject), out var bindings))
            {
                continue;
            }

            foreach (var binding in bindings.Values)
            {
                if (ResolveLocked(binding.RoleKind, binding.RoleName, binding.Namespace) is not { } rules)
                {
                    var error = MissingRole(binding);
                    errors ??= [];
                    if (!errors.Contains(error))
                    {
                        errors.Add(error);
                    }

                    continue;
                }

                foreach (var rule in rules)
                {
                    if (rule.Allows(request))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private void Collect(UserInfo user, string ns, List<(RbacBinding, IReadOnlyList<PolicyRule>?)> visits)
    {
        HashSet<RbacBinding>? seen = null;
        foreach (var subject in RbacSubject.Of(user))
        {
            if (!_bySubject.TryGetValue((ns, subject), out var bindings))
            {
                continue;
            }

            foreach (var binding in bindings.Values)
            {
                // A user in two groups a binding names meets it twice; its rules count once.
                seen ??= new HashSet<RbacBinding>(ReferenceEqualityComparer.Instance);
                if (seen.Add(binding))
                {
                    visits.Add((binding, ResolveLocked(binding.RoleKind, binding.RoleName, binding.Namespace)));
                }
            }
        }
    }

    private IReadOnlyList<PolicyRule>? ResolveLocked(string kind, string name, string ns) => kind switch
    {
        "ClusterRole" => _clusterRoles.GetValueOrDefault(name),
        "Role" => _roles.GetValueOrDefault((ns, name)),
        _ => null,
    };

    private void AddBindingLocked(RbacBinding binding)
    {
        _bindings[(binding.Namespace, binding.Name)] = binding;
        foreach (var subject in binding.Subjects)
        {
            if (!_bySubject.TryGetValue((binding.Namespace, subject), out var set))
            {
                _bySubject[(binding.Namespace, subject)] = set = new SortedDictionary<string, RbacBinding>(StringComparer.Ordinal);
            }

            set[binding.Name] = binding;
        }
    }

    private void RemoveBindingLocked(string ns, string name)
    {
        if (!_bindings.Remove((ns, name), out var old))
        {
            return;
        }

        foreach (var subject in old.Subjects)
        {
            if (_bySubject.TryGetValue((ns, subject), out var set) && set.Remove(name) && set.Count == 0)
            {
                _bySubject.Remove((ns, subject));
            }
        }
    }

    private static RbacBinding ToBinding(string ns, string name, JsonObject obj)
    {
        var subjects = new List<RbacSubject>();
        foreach (var subject in obj.ArrayAt("subjects").Objects())
        {
            var kind = subject.StringAt("kind") ?? "";
            var subjectName = subject.StringAt("name") ?? "";
            switch (kind)
            {
                case RbacSubject.User or RbacSubject.Group:
                    // appliesToUser ignores the subject's apiGroup for users and groups.
                    subjects.Add(new RbacSubject(kind, subjectName));
                    break;
                case RbacSubject.ServiceAccount:
                    var saNamespace = subject.StringAt("namespace") is { Length: > 0 } given ? given : ns;
                    if (saNamespace.Length > 0)
                    {
                        subjects.Add(new RbacSubject(kind, $"{saNamespace}:{subjectName}"));
                    }

                    break;
            }
        }

        return new RbacBinding(ns, name, obj.StringAt("roleRef", "kind") ?? "", obj.StringAt("roleRef", "name") ?? "", subjects.Distinct().ToList());
    }
}
