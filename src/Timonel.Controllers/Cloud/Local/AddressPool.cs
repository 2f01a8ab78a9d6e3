using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Timonel.Controllers.Cloud.Local;

/// <summary>
/// The IPv4 addresses <c>--lb-address-pool</c> names, given out one per Service (MetalLB's address pool): a CIDR
/// (its network and broadcast addresses left out up to a /30, as hosts cannot use them) or a range <c>a-b</c>, both
/// ends included. Who holds what is kept here only: the provider restores it from the Services' statuses at start.
/// Thread-safe.
/// </summary>
public sealed class AddressPool
{
    private readonly Lock _lock = new();
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<uint, string> _holders = [];
    private readonly Dictionary<string, uint> _held = new(StringComparer.Ordinal);

    private AddressPool(string text, uint first, uint last)
    {
        Text = text;
        _first = first;
        _last = last;
    }

    /// <summary>The pool as the flag gave it, for messages.</summary>
    public string Text { get; }

    /// <summary>How many addresses the pool has.</summary>
    public long Size => (long)_last - _first + 1;

    /// <summary>The pool <paramref name="text"/> names; a malformed one is a <see cref="FormatException"/> saying what was expected.</summary>
    public static AddressPool Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Contains('/', StringComparison.Ordinal))
        {
            if (!IPNetwork.TryParse(trimmed, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                throw Invalid(text);
            }

            var start = ToNumber(network.BaseAddress);
            var end = start + (uint)((1UL << (32 - network.PrefixLength)) - 1);
            return network.PrefixLength <= 30 ? new AddressPool(trimmed, start + 1, end - 1) : new AddressPool(trimmed, start, end);
        }

        var dash = trimmed.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !TryParseIPv4(trimmed[..dash], out var from) || !TryParseIPv4(trimmed[(dash + 1)..], out var to) || to < from)
        {
            throw Invalid(text);
        }

        return new AddressPool(trimmed, from, to);
    }

    public bool Contains(string address) => TryParseIPv4(address, out var number) && number >= _first && number <= _last;

    /// <summary>The address <paramref name="holder"/> has, or null.</summary>
    public string? AddressOf(string holder)
    {
        lock (_lock)
        {
            return _held.TryGetValue(holder, out var number) ? ToText(number) : null;
        }
    }

    /// <summary>
    /// Gives <paramref name="holder"/> <paramref name="address"/> when it is in the pool and free (or already its);
    /// false otherwise. A holder has one address: one it held before is released.
    /// </summary>
    public bool TryTake(string holder, string address)
    {
        if (!TryParseIPv4(address, out var number) || number < _first || number > _last)
        {
            return false;
        }

        lock (_lock)
        {
            if (_holders.TryGetValue(number, out var current))
            {
                return current == holder;
            }

            ReleaseLocked(holder);
            _holders[number] = holder;
            _held[holder] = number;
            return true;
        }
    }

    /// <summary>The address <paramref name="holder"/> has, else the lowest free one given to it; null when none is free.</summary>
    public string? Allocate(string holder)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(holder, out var held))
            {
                return ToText(held);
            }

            for (var number = _first; ; number++)
            {
                if (!_holders.ContainsKey(number))
                {
                    _holders[number] = holder;
                    _held[holder] = number;
                    return ToText(number);
                }

                if (number == _last)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>Frees what <paramref name="holder"/> has, if anything.</summary>
    public void Release(string holder)
    {
        lock (_lock)
        {
            ReleaseLocked(holder);
        }
    }

    private void ReleaseLocked(string holder)
    {
        if (_held.Remove(holder, out var number))
        {
            _holders.Remove(number);
        }
    }

    private static FormatException Invalid(string text) =>
        new($"invalid --lb-address-pool \"{text}\": expected an IPv4 CIDR (192.168.1.240/28) or range (192.168.1.240-192.168.1.250)");

    private static bool TryParseIPv4(string text, out uint number)
    {
        number = 0;
        if (!IPAddress.TryParse(text.Trim(), out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        number = ToNumber(address);
        return true;
    }

    private static uint ToNumber(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static string ToText(uint number)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, number);
        return new IPAddress(bytes).ToString();
    }
}
