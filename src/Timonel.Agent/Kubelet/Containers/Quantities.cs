using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>The integer readings of a resource quantity the kubelet uses, rounded up as upstream's Value() and MilliValue().</summary>
internal static class Quantities
{
    /// <summary>The quantity in whole units, rounded up (bytes for memory).</summary>
    public static long Value(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (long)Math.Ceiling(quantity.ToDecimal());

    /// <summary>The quantity in thousandths, rounded up (millicores for cpu).</summary>
    public static long MilliValue(ResourceQuantity? quantity) =>
        quantity is null ? 0 : (long)Math.Ceiling(quantity.ToDecimal() * 1000);

    /// <summary>A named amount from a requests or limits map; null when absent.</summary>
    public static ResourceQuantity? Get(IDictionary<string, ResourceQuantity>? amounts, string name) =>
        amounts is not null && amounts.TryGetValue(name, out var quantity) ? quantity : null;
}
