using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// ASP.NET Core's host matching lets <c>*.example.com</c> match any depth (a.b.example.com); an Ingress wildcard
/// matches exactly one label, so this policy drops wildcard routes whose host has more, and a lower-ranked route
/// (or none: 404) answers instead.
/// </summary>
public sealed class WildcardHostPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the host policy (order -100) has kept the candidates whose host pattern matches.
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => SuffixOf(e) is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var host = httpContext.Request.Host.Host;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && SuffixOf(candidates[i].Endpoint) is { } suffix && !MatchesOneLabel(host, suffix))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether <paramref name="host"/> is one label followed by <paramref name="suffix"/> (".example.com").</summary>
    public static bool MatchesOneLabel(string host, string suffix) =>
        host.Length > suffix.Length
        && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
        && !host.AsSpan(0, host.Length - suffix.Length).Contains('.');

    private static string? SuffixOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.GetValueOrDefault(IngressProxyConfig.WildcardHostMetadata);
}
