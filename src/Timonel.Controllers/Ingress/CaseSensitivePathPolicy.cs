using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// ASP.NET Core's routing compares path literals ignoring case and lets an Exact template match with a trailing slash;
/// Ingress paths are case-sensitive, and Exact means exactly (the Ingress API's matching rules). This policy drops the
/// candidates whose Ingress path the request's path does not match byte for byte, so a lower-ranked route (or none:
/// 404) answers instead.
/// </summary>
public sealed class CaseSensitivePathPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After the host policy (order -100), beside the wildcard host policy: both only narrow the candidates.
    public override int Order => 1;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => IngressPathOf(e) is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var requestPath = httpContext.Request.Path.Value ?? "/";
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && IngressPathOf(candidates[i].Endpoint) is { } metadata
                && !Matches(requestPath, metadata[IngressProxyConfig.PathMetadata], metadata.GetValueOrDefault(IngressProxyConfig.PathTypeMetadata) == IngressPathRule.Exact))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether <paramref name="requestPath"/> matches the Ingress path <paramref name="path"/> (a Prefix path without
    /// its trailing slash) comparing case: Exact as the same string; Prefix path element by path element, so /foo
    /// matches /foo and /foo/bar but not /foobar (which the route template has already ruled out).
    /// </summary>
    public static bool Matches(string requestPath, string path, bool exact) =>
        exact ? string.Equals(requestPath, path, StringComparison.Ordinal)
        : path == "/" || (requestPath.StartsWith(path, StringComparison.Ordinal) && (requestPath.Length == path.Length || requestPath[path.Length] == '/'));

    private static IReadOnlyDictionary<string, string>? IngressPathOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Metadata is { } metadata && metadata.ContainsKey(IngressProxyConfig.PathMetadata) ? metadata : null;
}
