namespace Timonel.Scheduler.Framework;

/// <summary>
/// The host ports in use on a node, by IP (upstream framework/types.go HostPortInfo): an empty IP means 0.0.0.0 and
/// an empty protocol TCP; a port on 0.0.0.0 conflicts with the same port and protocol on any IP, and back.
/// </summary>
public sealed class HostPortInfo
{
    private const string DefaultBindAllHostIp = "0.0.0.0";
    private const string DefaultProtocol = "TCP";
    private readonly Dictionary<string, HashSet<(string Protocol, int Port)>> _ports = new(StringComparer.Ordinal);

    public int Count => _ports.Values.Sum(p => p.Count);

    public void Add(string? ip, string? protocol, int port)
    {
        if (port <= 0)
        {
            return;
        }

        var key = Ip(ip);
        if (!_ports.TryGetValue(key, out var set))
        {
            _ports[key] = set = [];
        }

        set.Add((Protocol(protocol), port));
    }

    public void Remove(string? ip, string? protocol, int port)
    {
        if (port > 0 && _ports.TryGetValue(Ip(ip), out var set) && set.Remove((Protocol(protocol), port)) && set.Count == 0)
        {
            _ports.Remove(Ip(ip));
        }
    }

    public bool CheckConflict(string? ip, string? protocol, int port)
    {
        if (port <= 0)
        {
            return false;
        }

        var entry = (Protocol(protocol), port);
        var key = Ip(ip);
        if (key == DefaultBindAllHostIp)
        {
            return _ports.Values.Any(set => set.Contains(entry));
        }

        return (_ports.TryGetValue(DefaultBindAllHostIp, out var all) && all.Contains(entry))
            || (_ports.TryGetValue(key, out var set) && set.Contains(entry));
    }

    public HostPortInfo Clone()
    {
        var clone = new HostPortInfo();
        foreach (var (ip, set) in _ports)
        {
            clone._ports[ip] = [.. set];
        }

        return clone;
    }

    private static string Ip(string? ip) => string.IsNullOrEmpty(ip) ? DefaultBindAllHostIp : ip;

    private static string Protocol(string? protocol) => string.IsNullOrEmpty(protocol) ? DefaultProtocol : protocol;
}
