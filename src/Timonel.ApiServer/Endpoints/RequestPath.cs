using System.Text;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// A request's path as Go's net/http hands it to kube-apiserver (url.URL.Path): the request target up to its query,
/// each %XX escape decoded, and nothing else done to it. Kestrel's HttpRequest.Path resolves "." and ".." segments
/// before the application sees it, so "/api/v1/namespaces/ns/configmaps/.." would reach the router as the namespace
/// itself; upstream routes the unresolved path and refuses such names. Authentication, authorization, routing and the
/// log line all read this one parse.
/// </summary>
public sealed class RequestPath
{
    private RequestPath(string value, string[] segments)
    {
        Value = value;
        Segments = segments;
    }

    /// <summary>The decoded path, e.g. "/api/v1/namespaces/ns/configmaps/..".</summary>
    public string Value { get; }

    /// <summary>
    /// The path split on "/" once one leading and one trailing slash are trimmed: an escaped slash (%2F) splits like a
    /// plain one, and a doubled slash anywhere (or two at the end) leaves an empty segment.
    /// </summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>
    /// Parses a request target (origin form "/p?q", or absolute form "https://host/p?q"); null when it is not one Go
    /// would accept (a bad %XX escape, no path), which Go's server answers with a bare 400.
    /// </summary>
    public static RequestPath? Parse(string target)
    {
        var path = PathOf(target);
        if (path is null || Decode(path) is not { } decoded)
        {
            return null;
        }

        var trimmed = TrimOne(TrimOne(decoded, leading: true), leading: false);
        return new RequestPath(decoded, trimmed.Length == 0 ? [] : trimmed.Split('/'));
    }

    // One slash at each end, not every one: "//api/v1/..." is no route upstream (the director matches web services by
    // path prefix), and ".../configmaps/%2F" or ".../configmaps//" must not shrink to the collection, where a DELETE
    // would remove every ConfigMap; their empty segments make them address nothing.
    private static string TrimOne(string path, bool leading) =>
        leading ? (path.StartsWith('/') ? path[1..] : path) : (path.EndsWith('/') ? path[..^1] : path);

    /// <summary>The part of the target before its query; null for a target without a path.</summary>
    private static string? PathOf(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? target : target[..query];
        if (path.StartsWith('/'))
        {
            return path;
        }

        // Absolute form (RFC 9112 section 3.2.2): the path starts at the first slash after the authority.
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return null;
        }

        var slash = path.IndexOf('/', scheme + 3);
        return slash < 0 ? "/" : path[slash..];
    }

    /// <summary>Go's url.PathUnescape: every "%" must start two hex digits; the bytes are read as UTF-8.</summary>
    private static string? Decode(string path)
    {
        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return path;
        }

        var bytes = new List<byte>(path.Length);
        var run = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] != '%')
            {
                continue;
            }

            if (i + 2 >= path.Length || !Uri.IsHexDigit(path[i + 1]) || !Uri.IsHexDigit(path[i + 2]))
            {
                return null;
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(path[run..i]));
            bytes.Add((byte)((Uri.FromHex(path[i + 1]) << 4) | Uri.FromHex(path[i + 2])));
            i += 2;
            run = i + 1;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(path[run..]));
        return Encoding.UTF8.GetString([.. bytes]);
    }
}
