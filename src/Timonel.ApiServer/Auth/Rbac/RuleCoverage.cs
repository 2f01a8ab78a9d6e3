namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Whether one set of rules grants everything another does (upstream's pkg/registry/rbac/validation/policy_comparator.go
/// Covers and rule.go BreakdownRule / CompactRules): each rule is broken into rules of one verb on one resource (and one
/// name, or one URL), each of which some owner rule must cover. Used to refuse granting permissions one does not hold,
/// and by the reconciliation of the default policy to find the rules an object lacks.
/// </summary>
public static class RuleCoverage
{
    /// <summary>True when <paramref name="owner"/> covers every rule of <paramref name="servant"/>; else the atomic rules not covered.</summary>
    public static (bool Covers, IReadOnlyList<PolicyRule> Missing) Covers(IReadOnlyList<PolicyRule> owner, IEnumerable<PolicyRule> servant)
    {
        var missing = new List<PolicyRule>();
        foreach (var rule in servant)
        {
            foreach (var atom in Breakdown(rule))
            {
                if (!owner.Any(o => RuleCovers(o, atom)))
                {
                    missing.Add(atom);
                }
            }
        }

        return (missing.Count == 0, missing);
    }

    /// <summary>BreakdownRule: one rule per group, resource, verb and name; one per URL and verb.</summary>
    public static IEnumerable<PolicyRule> Breakdown(PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups)
        {
            foreach (var resource in rule.Resources)
            {
                foreach (var verb in rule.Verbs)
                {
                    if (rule.ResourceNames.Count > 0)
                    {
                        foreach (var name in rule.ResourceNames)
                        {
                            yield return new PolicyRule([verb], [group], [resource], [name]);
                        }
                    }
                    else
                    {
                        yield return new PolicyRule([verb], [group], [resource]);
                    }
                }
            }
        }

        foreach (var url in rule.NonResourceUrls)
        {
            foreach (var verb in rule.Verbs)
            {
                yield return PolicyRule.Urls([verb], [url]);
            }
        }
    }

    /// <summary>
    /// CompactRules: rules of one group and one resource (and at most one name) that differ only in verbs become one
    /// rule with their verbs; others stay as they are.
    /// </summary>
    public static IReadOnlyList<PolicyRule> Compact(IReadOnlyList<PolicyRule> rules)
    {
        var compacted = new List<PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), (int Index, List<string> Verbs)>();
        var order = new List<(string, string, string?)>();
        foreach (var rule in rules)
        {
            if (rule.ResourceNames.Count <= 1 && rule.NonResourceUrls.Count == 0 && rule.ApiGroups.Count == 1 && rule.Resources.Count == 1)
            {
                var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames.Count == 0 ? null : rule.ResourceNames[0]);
                if (simple.TryGetValue(key, out var existing))
                {
                    existing.Verbs.AddRange(rule.Verbs);
                }
                else
                {
                    simple[key] = (order.Count, [.. rule.Verbs]);
                    order.Add(key);
                }
            }
            else
            {
                compacted.Add(rule);
            }
        }

        foreach (var key in order)
        {
            var (group, resource, name) = key;
            compacted.Add(new PolicyRule(simple[key].Verbs, [group], [resource], name is null ? [] : [name]));
        }

        return compacted;
    }

    // ruleCovers: the owner's verbs, groups, resources (with "*" and "*/subresource"), names and URLs include the servant's.
    private static bool RuleCovers(PolicyRule owner, PolicyRule servant)
    {
        var verbs = owner.Verbs.Contains("*") || servant.Verbs.All(owner.Verbs.Contains);
        var groups = owner.ApiGroups.Contains("*") || servant.ApiGroups.All(owner.ApiGroups.Contains);
        var resources = ResourcesCover(owner.Resources, servant.Resources);
        var urls = servant.NonResourceUrls.All(s => owner.NonResourceUrls.Any(o => UrlCovers(o, s)));
        var names = servant.ResourceNames.Count == 0
            ? owner.ResourceNames.Count == 0
            : owner.ResourceNames.Count == 0 || servant.ResourceNames.All(owner.ResourceNames.Contains);
        return verbs && groups && resources && names && urls;
    }

    // resourceCoversAll: "*", the resource itself, or "*/sub" for a subresource "x/sub".
    private static bool ResourcesCover(IReadOnlyList<string> owner, IReadOnlyList<string> servant)
    {
        if (owner.Contains("*") || servant.All(owner.Contains))
        {
            return true;
        }

        foreach (var resource in servant)
        {
            var slash = resource.IndexOf('/', StringComparison.Ordinal);
            if (owner.Contains(resource) || (slash >= 0 && owner.Contains("*" + resource[slash..])))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    // nonResourceURLCovers: equal, "*", or a prefix ending in "*".
    private static bool UrlCovers(string owner, string servant) => PolicyRule.UrlMatches(owner, servant);
}
