using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Timonel.Agent.Simulated;

/// <summary>
/// Where simulated node i sits on the network: an InternalIP of its own in 10.200.0.0/16 (a range neither K3s' pod
/// nor service CIDR uses) and the i-th /24 of the cluster CIDR as its pod CIDR, as K3s' node IPAM hands out /24s of
/// 10.42.0.0/16.
/// </summary>
internal static class NodeAddressing
{
    private const int HostsPerSubnet = 254;

    public static string InternalIp(int index)
    {
        if (index is < 0 or >= HostsPerSubnet * 256)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "at most 65,024 simulated nodes");
        }

        return $"10.200.{index / HostsPerSubnet}.{(index % HostsPerSubnet) + 1}";
    }

    /// <summary>How many /24 pod ranges <paramref name="clusterCidr"/> holds (IPv4, a prefix of /24 or shorter).</summary>
    /// <exception cref="FormatException">Not an IPv4 CIDR with a prefix of at most 24.</exception>
    public static int PodRangeCount(string clusterCidr)
    {
        var (_, prefix) = Parse(clusterCidr);
        return 1 << Math.Min(24 - prefix, 24);
    }

    /// <summary>The network address of the i-th /24 of <paramref name="clusterCidr"/>, as a host-order number.</summary>
    public static uint PodRange(string clusterCidr, int index)
    {
        var (network, _) = Parse(clusterCidr);
        if (index < 0 || index >= PodRangeCount(clusterCidr))
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{clusterCidr} holds {PodRangeCount(clusterCidr)} /24 pod ranges");
        }

        return network + ((uint)index << 8);
    }

    public static string Format(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    private static (uint Network, int Prefix) Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], out var prefix) || prefix is < 0 or > 24)
        {
            throw new FormatException($"invalid cluster CIDR \"{cidr}\": an IPv4 range of /24 or larger is needed");
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (value & mask, prefix);
    }
}
