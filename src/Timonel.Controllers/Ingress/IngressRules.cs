using k8s.Models;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Flattens Ingresses into path rules in the order they are tried, as the Ingress API and ingress-nginx define it:
/// an exact host before a wildcard host before no host (a request sees only the most specific kind naming its host:
/// <see cref="IngressHostOwners"/>); within those, Exact paths before Prefix paths, longer
/// prefixes first; an Ingress's defaultBackend only when nothing else matches. Where two Ingresses claim the same host,
/// path and type, the older one keeps it (ingress-nginx's rule), ties broken by namespace/name.
/// ImplementationSpecific paths are matched as Prefix.
/// </summary>
public static class IngressRules
{
    public static IReadOnlyList<IngressPathRule> Collect(IEnumerable<V1Ingress> ingresses)
    {
        var claimed = new HashSet<(string Host, string Path, string Type)>();
        var rules = new List<IngressPathRule>();
        IngressPathRule? defaultBackend = null;
        foreach (var ingress in ingresses.OrderBy(i => i.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(i => i.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal))
        {
            foreach (var rule in PathsOf(ingress))
            {
                if (claimed.Add((rule.Host, rule.MatchedPath, rule.PathType)))
                {
                    rules.Add(rule);
                }
            }

            if (defaultBackend is null && BackendOf(ingress, ingress.Spec?.DefaultBackend) is { } backend)
            {
                defaultBackend = new IngressPathRule(ingress, string.Empty, "/", IngressPathRule.Prefix, backend, IsDefaultBackend: true);
            }
        }

        rules.Sort(Precedence);
        if (defaultBackend is not null)
        {
            rules.Add(defaultBackend);
        }

        return rules;
    }

    /// <summary>The backends an Ingress names (its paths' and its default's), for events about missing Services.</summary>
    public static IEnumerable<IngressBackendRef> BackendsOf(V1Ingress ingress) =>
        PathsOf(ingress).Select(rule => rule.Backend)
            .Concat(BackendOf(ingress, ingress.Spec?.DefaultBackend) is { } backend ? [backend] : [])
            .Distinct();

    private static IEnumerable<IngressPathRule> PathsOf(V1Ingress ingress)
    {
        foreach (var rule in ingress.Spec?.Rules ?? [])
        {
            var host = (rule.Host ?? string.Empty).ToLowerInvariant();
            foreach (var path in rule.Http?.Paths ?? [])
            {
                if (BackendOf(ingress, path.Backend) is not { } backend)
                {
                    continue;
                }

                var type = path.PathType == IngressPathRule.Exact ? IngressPathRule.Exact : IngressPathRule.Prefix;
                yield return new IngressPathRule(ingress, host, string.IsNullOrEmpty(path.Path) ? "/" : path.Path, type, backend);
            }
        }
    }

    private static IngressBackendRef? BackendOf(V1Ingress ingress, V1IngressBackend? backend) =>
        backend?.Service is { } service
            ? new IngressBackendRef(ingress.Metadata.NamespaceProperty ?? "default", service.Name, service.Port?.Number, service.Port?.Name)
            : null;

    private static int Precedence(IngressPathRule a, IngressPathRule b)
    {
        var byHost = a.HostKind.CompareTo(b.HostKind);
        if (byHost != 0)
        {
            return byHost;
        }

        var byType = TypeRank(a).CompareTo(TypeRank(b));
        if (byType != 0)
        {
            return byType;
        }

        var byLength = b.MatchedPath.Length.CompareTo(a.MatchedPath.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a.Host, b.Host);
    }

    private static int TypeRank(IngressPathRule rule) => rule.PathType == IngressPathRule.Exact ? 0 : 1;
}
