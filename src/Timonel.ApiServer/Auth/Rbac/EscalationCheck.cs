namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Upstream's ConfirmNoEscalation (pkg/registry/rbac/validation/rule.go): a user may grant only rules they hold
/// themselves in the namespace of the grant (cluster-wide rules included).
/// </summary>
public static class EscalationCheck
{
    /// <summary>Null when <paramref name="user"/> holds every rule of <paramref name="rules"/>; else upstream's message listing the missing ones.</summary>
    public static string? Confirm(IRuleResolver resolver, UserInfo user, string ns, IReadOnlyList<PolicyRule> rules)
    {
        var held = resolver.RulesFor(user, ns);
        var owner = held.ResourceRules.Select(r => new PolicyRule(r.Verbs, r.ApiGroups, r.Resources, r.ResourceNames))
            .Concat(held.NonResourceRules.Select(r => PolicyRule.Urls(r.Verbs, r.NonResourceUrls)))
            .ToList();
        var (covers, missing) = RuleCoverage.Covers(owner, rules);
        if (covers)
        {
            return null;
        }

        // The missing rules compacted, each as rbacv1helpers.CompactString, sorted (sets.NewString(...).List()).
        var descriptions = RuleCoverage.Compact(missing).Select(r => r.CompactString()).Distinct().Order(StringComparer.Ordinal);
        return $"user {Timonel.Api.Validation.GoValue.Quote(user.Name)} (groups={PolicyRule.GoQuoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", descriptions)}";
    }
}
