using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Turns ordered path rules into YARP routes and clusters: a route per rule whose Order is the rule's rank (ASP.NET
/// Core's routing takes the lowest Order among the routes that match), a cluster per Service port holding its ready
/// endpoints. A cluster without destinations makes YARP answer 503; a request no route matches gets 404.
/// </summary>
public static class IngressProxyConfig
{
    /// <summary>Route metadata asking <see cref="WildcardHostPolicy"/> to let a wildcard match one label only.</summary>
    public const string WildcardHostMetadata = "timonel.io/wildcard-host";

    /// <summary>Route metadata giving <see cref="CaseSensitivePathPolicy"/> the Ingress path as matched, and its type.</summary>
    public const string PathMetadata = "timonel.io/path";

    public const string PathTypeMetadata = "timonel.io/path-type";

    /// <summary>
    /// Route metadata giving <see cref="HostOwnerPolicy"/> the kind of a wildcard-host or any-host rule, which a more
    /// specific host hides. Exact-host routes need none (nothing outranks them), nor the defaultBackend's.
    /// </summary>
    public const string HostKindMetadata = "timonel.io/host-kind";

    private static readonly System.Buffers.SearchValues<char> _untemplatable = System.Buffers.SearchValues.Create("{}?*\\#");

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(
        IReadOnlyList<IngressPathRule> rules, Func<IngressBackendRef, IReadOnlyList<string>> destinations)
    {
        var routes = new List<RouteConfig>(rules.Count);
        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        for (var order = 0; order < rules.Count; order++)
        {
            var rule = rules[order];
            if (RouteTemplate(rule) is not { } template)
            {
                continue;
            }

            routes.Add(new RouteConfig
            {
                RouteId = $"{rule.Source.Metadata.NamespaceProperty}/{rule.Source.Metadata.Name}/{order.ToString(CultureInfo.InvariantCulture)}",
                ClusterId = rule.Backend.ClusterId,
                Order = order,
                Match = new RouteMatch { Path = template, Hosts = rule.Host.Length == 0 ? null : [rule.Host] },
                Metadata = Metadata(rule),
            });
            if (!clusters.ContainsKey(rule.Backend.ClusterId))
            {
                clusters[rule.Backend.ClusterId] = new ClusterConfig
                {
                    ClusterId = rule.Backend.ClusterId,
                    Destinations = destinations(rule.Backend).ToDictionary(d => d, d => new DestinationConfig { Address = d }, StringComparer.Ordinal),
                };
            }
        }

        return (routes, [.. clusters.Values]);
    }

    private static Dictionary<string, string> Metadata(IngressPathRule rule)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [PathMetadata] = rule.MatchedPath, [PathTypeMetadata] = rule.PathType };
        if (rule.IsWildcardHost)
        {
            metadata[WildcardHostMetadata] = rule.Host[1..];
        }

        if (rule.HostKind != IngressHostKind.Exact && !rule.IsDefaultBackend)
        {
            metadata[HostKindMetadata] = rule.HostKind.ToString();
        }

        return metadata;
    }

    /// <summary>
    /// The ASP.NET Core route template matching the rule's path: Exact as the literal path, Prefix as the path then an
    /// optional catch-all (so /foo matches /foo and /foo/bar but not /foobar). Null for a path a template cannot say
    /// literally (braces, ?, *, empty segments): such a path is skipped rather than matched wrongly.
    /// </summary>
    public static string? RouteTemplate(IngressPathRule rule)
    {
        var path = rule.MatchedPath;
        if (!path.StartsWith('/') || path.AsSpan(1).Contains("//", StringComparison.Ordinal) || path.AsSpan().IndexOfAny(_untemplatable) >= 0)
        {
            return null;
        }

        return rule.PathType == IngressPathRule.Exact ? path
            : path == "/" ? "/{**catch-all}"
            : path + "/{**catch-all}";
    }
}
