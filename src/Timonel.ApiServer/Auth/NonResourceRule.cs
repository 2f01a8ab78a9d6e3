namespace Timonel.ApiServer.Auth;

/// <summary>What a subject may do to non-resource URLs (authorizationv1.NonResourceRule); a URL ending in "*" is a prefix.</summary>
public sealed record NonResourceRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>Every verb on every URL (cluster-admin's rule).</summary>
    public static NonResourceRule All { get; } = new(["*"], ["*"]);

    /// <summary>Whether the rule covers a non-resource request, as upstream's rbac NonResourceURLMatches.</summary>
    public bool Allows(RequestAttributes request) =>
        !request.IsResourceRequest
        && ResourceRule.Matches(Verbs, request.Verb)
        && NonResourceUrls.Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url.TrimEnd('*'), StringComparison.Ordinal)));
}
