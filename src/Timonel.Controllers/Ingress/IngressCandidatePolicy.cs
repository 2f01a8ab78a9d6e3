using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// A matcher policy narrowing the routes ASP.NET Core's routing found for a request to those the Ingress rules
/// really match: a candidate it rejects is dropped, and the next-ranked valid route (or none: 404) answers. It runs
/// after the host policy (order -100) has kept the candidates whose host pattern matches.
/// </summary>
public abstract class IngressCandidatePolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => RouteMetadata(e) is { } metadata && AppliesTo(metadata));

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && RouteMetadata(candidates[i].Endpoint) is { } metadata && AppliesTo(metadata) && !Keeps(httpContext.Request, metadata))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Whether the route (by the metadata <see cref="IngressProxyConfig"/> gave it) is one this policy judges.</summary>
    protected abstract bool AppliesTo(IReadOnlyDictionary<string, string> metadata);

    /// <summary>Whether the request matches the route's Ingress rule.</summary>
    protected abstract bool Keeps(HttpRequest request, IReadOnlyDictionary<string, string> metadata);

    private static IReadOnlyDictionary<string, string>? RouteMetadata(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Metadata;
}
