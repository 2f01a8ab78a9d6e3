using System.Net;
using System.Net.Sockets;

namespace Timonel.Client.Objects;

/// <summary>
/// Nodes' pod ranges out of the cluster range, as kube-controller-manager's range allocator gives them (the node
/// IPAM controller; a kubelet that may list Nodes picks its own the same way when it registers).
/// </summary>
public static class PodCidrs
{
    public const string DefaultClusterCidr = "10.42.0.0/16";

    /// <summary>The first free /24 of <paramref name="clusterCidr"/> (an IPv4 range of /24 or wider); null when all are taken.</summary>
    public static string? Pick(string clusterCidr, IEnumerable<string> taken)
    {
        var parts = clusterCidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var network) || network.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 24)
        {
            throw new ArgumentException($"cluster CIDR \"{clusterCidr}\" must be an IPv4 range of /8 to /24", nameof(clusterCidr));
        }

        var used = taken.ToHashSet(StringComparer.Ordinal);
        var bytes = network.GetAddressBytes();
        var start = (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8)) & (uint.MaxValue << (32 - prefix));
        var count = 1u << (24 - prefix);
        for (var i = 0u; i < count; i++)
        {
            var subnet = start + (i << 8);
            var cidr = $"{subnet >> 24}.{(subnet >> 16) & 255}.{(subnet >> 8) & 255}.0/24";
            if (!used.Contains(cidr))
            {
                return cidr;
            }
        }

        return null;
    }
}
