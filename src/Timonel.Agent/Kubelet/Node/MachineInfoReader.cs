using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Timonel.Agent.Kubelet.Node;

/// <summary>
/// Reads the machine from Linux: cpus, /proc/meminfo's MemTotal, the data directory's filesystem size, machine and
/// boot ids, kernel release, /etc/os-release's PRETTY_NAME, and the node IP: the IPv4 address of the interface the
/// default route leaves by (127.0.0.1 without one).
/// </summary>
public static class MachineInfoReader
{
    public static MachineInfo Read(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var machineId = FirstLine("/etc/machine-id") ?? FirstLine("/var/lib/dbus/machine-id") ?? "";
        return new MachineInfo(
            Environment.ProcessorCount,
            MemTotal(File.Exists("/proc/meminfo") ? File.ReadAllLines("/proc/meminfo") : []),
            new DriveInfo(Path.GetFullPath(dataDirectory)).TotalSize,
            machineId,
            FirstLine("/proc/sys/kernel/random/boot_id") ?? "",
            FirstLine("/sys/class/dmi/id/product_uuid") ?? machineId,
            FirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString(),
            OsImage(File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : []),
            Architecture(RuntimeInformation.OSArchitecture),
            Dns.GetHostName().ToLowerInvariant(),
            PrimaryIPv4(Routes()));
    }

    /// <summary>MemTotal from /proc/meminfo's lines, in bytes.</summary>
    public static long MemTotal(IEnumerable<string> meminfo)
    {
        foreach (var line in meminfo)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "MemTotal:" && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib))
            {
                return kib * 1024;
            }
        }

        return 0;
    }

    /// <summary>PRETTY_NAME from /etc/os-release's lines, as the kubelet's osImage.</summary>
    public static string OsImage(IEnumerable<string> osRelease) =>
        osRelease.Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0] == "PRETTY_NAME").Select(p => p[1].Trim('"')).FirstOrDefault() ?? "Linux";

    /// <summary>The interface of the default route in /proc/net/route's lines.</summary>
    public static string? DefaultRouteInterface(IEnumerable<string> routes) =>
        routes.Skip(1).Select(l => l.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(f => f.Length > 7 && f[1] == "00000000" && f[7] == "00000000")
            .Select(f => f[0])
            .FirstOrDefault();

    public static string Architecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The host's primary IPv4 address (the default route's interface): the node's InternalIP, and where the cluster DNS listens.</summary>
    public static IPAddress PrimaryAddress() => IPAddress.Parse(PrimaryIPv4(Routes()));

    private static string[] Routes() => File.Exists("/proc/net/route") ? File.ReadAllLines("/proc/net/route") : [];

    private static string PrimaryIPv4(IEnumerable<string> routes)
    {
        var name = DefaultRouteInterface(routes);
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == name)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return address?.ToString() ?? "127.0.0.1";
    }

    private static string? FirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
