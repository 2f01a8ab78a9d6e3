using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>An IPv4 or IPv6 CIDR (the service CIDR), with offsets for allocation.</summary>
public sealed class IpRange
{
    private readonly BigInteger _base;
    private readonly int _addressBytes;

    private IpRange(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
        _addressBytes = network.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        _base = new BigInteger(network.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        Size = BigInteger.Pow(2, (_addressBytes * 8) - prefixLength);
    }

    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public BigInteger Size { get; }

    public string Family => _addressBytes == 4 ? "IPv4" : "IPv6";

    public static IpRange Parse(string cidr)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || !int.TryParse(parts[1], out var prefix))
        {
            throw new FormatException($"invalid CIDR address: {cidr}");
        }

        var network = IPNetwork.Parse(cidr).BaseAddress;
        return new IpRange(network, prefix);
    }

    /// <summary>The address at <paramref name="offset"/> from the network address (1 = first usable).</summary>
    public IPAddress At(BigInteger offset)
    {
        var bytes = (_base + offset).ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[_addressBytes];
        bytes.CopyTo(padded, _addressBytes - bytes.Length);
        return new IPAddress(padded);
    }

    /// <summary>The offset of <paramref name="address"/> in the range, or null when outside it.</summary>
    public BigInteger? OffsetOf(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily)
        {
            return null;
        }

        var offset = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true) - _base;
        return offset >= 0 && offset < Size ? offset : null;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";
}
