namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Role-based access control (upstream's plugin/pkg/auth/authorizer/rbac): a request is allowed when a rule of a role
/// bound to the user (by name, group, or as a service account) covers it. Otherwise no opinion, with no reason unless a
/// binding that applies names a role that does not exist ("RBAC: clusterrole.rbac.authorization.k8s.io "x" not
/// found"), so the 403 reads as upstream's. Everything is read from <see cref="RbacPolicyCache"/>, in memory.
/// </summary>
public sealed class RbacAuthorizer : IAuthorizer, IRuleResolver
{
    private readonly RbacPolicyCache _policy;

    public RbacAuthorizer(RbacPolicyCache policy) => _policy = policy;

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        if (_policy.Allows(user, request, out var errors))
        {
            return AuthorizationDecision.Allow;
        }

        return errors is null ? AuthorizationDecision.NoOpinion : new AuthorizationDecision(AuthorizationOutcome.NoOpinion, "RBAC: " + Aggregate(errors));
    }

    public SubjectRules RulesFor(UserInfo user, string ns)
    {
        var (rules, errors) = PolicyRulesFor(user, ns);
        return new SubjectRules(
            [.. rules.Select(r => r.AsResourceRule()).OfType<ResourceRule>()],
            [.. rules.Select(r => r.AsNonResourceRule()).OfType<NonResourceRule>()],
            errors.Count > 0);
    }

    /// <summary>Every rule granted to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide ones included), and the errors met (missing roles).</summary>
    public (IReadOnlyList<PolicyRule> Rules, IReadOnlyList<string> Errors) PolicyRulesFor(UserInfo user, string? ns)
    {
        var rules = new List<PolicyRule>();
        var errors = new List<string>();
        _policy.VisitRulesFor(user, ns, (_, bindingRules, error) =>
        {
            if (bindingRules is null)
            {
                errors.Add(error!);
            }
            else
            {
                rules.AddRange(bindingRules);
            }

            return true;
        });
        return (rules, errors);
    }

    /// <summary>utilerrors.NewAggregate's text: one error as itself, several as [a, b].</summary>
    internal static string Aggregate(IReadOnlyList<string> errors) => errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
}
