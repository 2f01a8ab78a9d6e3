using Microsoft.AspNetCore.Http;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// ASP.NET Core's host matching lets <c>*.example.com</c> match any depth (a.b.example.com); an Ingress wildcard
/// matches exactly one label, so this policy drops wildcard routes whose host has more, and a lower-ranked route
/// (or none: 404) answers instead.
/// </summary>
public sealed class WildcardHostPolicy : IngressCandidatePolicy
{
    public override int Order => 0;

    /// <summary>Whether <paramref name="host"/> is one label followed by <paramref name="suffix"/> (".example.com").</summary>
    public static bool MatchesOneLabel(string host, string suffix) =>
        host.Length > suffix.Length
        && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
        && !host.AsSpan(0, host.Length - suffix.Length).Contains('.');

    protected override bool AppliesTo(IReadOnlyDictionary<string, string> metadata) =>
        metadata.ContainsKey(IngressProxyConfig.WildcardHostMetadata);

    protected override bool Keeps(HttpRequest request, IReadOnlyDictionary<string, string> metadata) =>
        MatchesOneLabel(request.Host.Host, metadata[IngressProxyConfig.WildcardHostMetadata]);
}
