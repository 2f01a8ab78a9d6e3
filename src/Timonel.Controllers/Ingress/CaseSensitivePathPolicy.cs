using Microsoft.AspNetCore.Http;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// ASP.NET Core's routing compares path literals ignoring case and lets an Exact template match with a trailing slash;
/// Ingress paths are case-sensitive, and Exact means exactly (the Ingress API's matching rules). This policy drops the
/// candidates whose Ingress path the request's path does not match byte for byte, so a lower-ranked route (or none:
/// 404) answers instead.
/// </summary>
public sealed class CaseSensitivePathPolicy : IngressCandidatePolicy
{
    // Beside the wildcard host policy: both only narrow the candidates, so their order does not matter.
    public override int Order => 1;

    /// <summary>
    /// Whether <paramref name="requestPath"/> matches the Ingress path <paramref name="path"/> (a Prefix path without
    /// its trailing slash) comparing case: Exact as the same string; Prefix path element by path element, so /foo
    /// matches /foo and /foo/bar but not /foobar (which the route template has already ruled out).
    /// </summary>
    public static bool Matches(string requestPath, string path, bool exact) =>
        exact ? string.Equals(requestPath, path, StringComparison.Ordinal)
        : path == "/" || (requestPath.StartsWith(path, StringComparison.Ordinal) && (requestPath.Length == path.Length || requestPath[path.Length] == '/'));

    protected override bool AppliesTo(IReadOnlyDictionary<string, string> metadata) =>
        metadata.ContainsKey(IngressProxyConfig.PathMetadata);

    protected override bool Keeps(HttpRequest request, IReadOnlyDictionary<string, string> metadata) =>
        Matches(request.Path.Value ?? "/", metadata[IngressProxyConfig.PathMetadata], metadata.GetValueOrDefault(IngressProxyConfig.PathTypeMetadata) == IngressPathRule.Exact);
}
