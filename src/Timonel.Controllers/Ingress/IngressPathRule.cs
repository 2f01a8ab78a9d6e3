using k8s.Models;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// One path of one Ingress rule (or an Ingress's defaultBackend: no host, path "/" and <see cref="IsDefaultBackend"/>),
/// with the Service it goes to. <paramref name="Host"/> is empty for every host.
/// </summary>
public sealed record IngressPathRule(V1Ingress Source, string Host, string Path, string PathType, IngressBackendRef Backend, bool IsDefaultBackend = false)
{
    public const string Exact = "Exact";
    public const string Prefix = "Prefix";

    /// <summary>True for a host such as <c>*.example.com</c>, which matches one more label.</summary>
    public bool IsWildcardHost => Host.StartsWith("*.", StringComparison.Ordinal);

    public IngressHostKind HostKind => Host.Length == 0 ? IngressHostKind.Any : IsWildcardHost ? IngressHostKind.Wildcard : IngressHostKind.Exact;

    /// <summary>The path as matched: Prefix paths lose their trailing slash ("/foo/" matches as "/foo" does).</summary>
    public string MatchedPath => PathType == Prefix && Path.Length > 1 ? Path.TrimEnd('/') : Path;
}
