namespace Timonel.Commands;

/// <summary>
/// K3s' <c>--disable</c>: packaged components the server does not run. K3s' names are kept (coredns for the cluster
/// DNS, servicelb for the local load balancer, traefik for the Ingress controller, which Timonel also calls ingress).
/// The flag repeats and takes comma-separated lists, as K3s' does.
/// </summary>
public sealed class DisabledComponents
{
    public const string LocalStorage = "local-storage";
    public const string ClusterDns = "coredns";
    public const string ServiceLoadBalancer = "servicelb";
    public const string Ingress = "ingress";

    private static readonly Dictionary<string, string> _known = new(StringComparer.Ordinal)
    {
        [LocalStorage] = LocalStorage,
        [ClusterDns] = ClusterDns,
        [ServiceLoadBalancer] = ServiceLoadBalancer,
        [Ingress] = Ingress,
        ["traefik"] = Ingress,
    };

    private readonly HashSet<string> _disabled;

    private DisabledComponents(HashSet<string> disabled) => _disabled = disabled;

    public static DisabledComponents None { get; } = new([]);

    /// <summary>The components the flag values name; an unknown name is a <see cref="FormatException"/> listing the valid ones.</summary>
    public static DisabledComponents Parse(IEnumerable<string> values)
    {
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!_known.TryGetValue(name, out var component))
            {
                throw new FormatException($"invalid value \"{name}\" for --disable (valid items: {string.Join(", ", _known.Keys.Order(StringComparer.Ordinal))})");
            }

            disabled.Add(component);
        }

        return new DisabledComponents(disabled);
    }

    public bool IsDisabled(string component) => _disabled.Contains(component);
}
