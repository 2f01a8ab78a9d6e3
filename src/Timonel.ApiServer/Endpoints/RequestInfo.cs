namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// What a resource URL addresses, parsed as upstream's RequestInfoFactory does
/// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
/// /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]] and /apis/GROUP/VERSION/... likewise.
/// </summary>
public sealed record RequestInfo(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource, bool LegacyWatchPath)
{
    /// <summary>
    /// Parses <paramref name="path"/>; null when it is not a resource path (discovery, health, ...). A path with an
    /// empty segment ("/api/v1/namespaces//configmaps") addresses nothing: upstream's router would read the empty
    /// namespace as "all namespaces", which no client means.
    /// </summary>
    public static RequestInfo? Parse(RequestPath path)
    {
        var parts = path.Segments.ToArray();
        if (Array.IndexOf(parts, "") >= 0)
        {
            return null;
        }

        int index;
        string group, version;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, index) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, index) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        var watch = false;
        if (parts[index] == "watch")
        {
            watch = true;
            index++;
        }

        var rest = parts.AsSpan(index);
        string? ns = null;
        // "namespaces/NAME/RESOURCE..." addresses a namespaced resource; "namespaces[/NAME[/status|finalize]]" the namespace itself.
        // Upstream's namespaceSubresources: /namespaces/NAME/status|finalize address the namespace itself.
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        return rest.Length switch
        {
            0 => null,
            1 => new RequestInfo(group, version, ns, rest[0], null, null, watch),
            2 => new RequestInfo(group, version, ns, rest[0], rest[1], null, watch),
            3 => new RequestInfo(group, version, ns, rest[0], rest[1], rest[2], watch),
            _ => null,
        };
    }
}
