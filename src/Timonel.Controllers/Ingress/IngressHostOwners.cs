namespace Timonel.Controllers.Ingress;

/// <summary>
/// Which kind of rule owns a request's host. ingress-nginx makes one server per Ingress host: a request goes to its
/// exact host's server when any rule names that host, else to the wildcard host's covering it, else to the rules for
/// any host; the paths of the less specific kinds are hidden from it, and what the owner's paths miss falls to the
/// defaultBackend or 404. ASP.NET Core's routing would instead try every host pattern that matches, so
/// <see cref="HostOwnerPolicy"/> asks this index. Replaced as a whole with each configuration; reads need no lock.
/// </summary>
public sealed class IngressHostOwners
{
    private volatile Hosts _hosts = new([], []);

    /// <summary>The kind of rule that owns <paramref name="requestHost"/> (the Host header without its port).</summary>
    /// <remarks>Asked on every request a wildcard or any-host route could answer: compares ignoring case on spans, allocating nothing.</remarks>
    public IngressHostKind OwnerOf(string requestHost)
    {
        var hosts = _hosts;
        if (hosts.Exact.Contains(requestHost))
        {
            return IngressHostKind.Exact;
        }

        var dot = requestHost.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && hosts.Wildcard.GetAlternateLookup<ReadOnlySpan<char>>().Contains(requestHost.AsSpan(dot)) ? IngressHostKind.Wildcard : IngressHostKind.Any;
    }

    /// <summary>Takes the hosts of <paramref name="rules"/> as the owners from now on.</summary>
    public void Replace(IEnumerable<IngressPathRule> rules)
    {
        var exact = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            _ = rule.HostKind switch
            {
                IngressHostKind.Exact => exact.Add(rule.Host),
                IngressHostKind.Wildcard => wildcard.Add(rule.Host[1..]),
                _ => false,
            };
        }

        _hosts = new Hosts(exact, wildcard);
    }

    /// <summary>Exact hosts, and wildcard hosts as the suffix after their "*" (".example.com").</summary>
    private sealed record Hosts(HashSet<string> Exact, HashSet<string> Wildcard);
}
