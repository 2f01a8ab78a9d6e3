using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Timonel.Agent.Proxy;

/// <summary>
/// The kernel settings Service traffic needs, set as kube-proxy and K3s set them: forwarding on; route_localnet so a
/// NodePort DNATed from 127.0.0.1 may leave the loopback; br_netfilter with bridge-nf-call-iptables so traffic between
/// two pods on the same bridge (a pod reaching a Service whose endpoint shares its bridge, or itself) passes the
/// NAT hooks both ways.
/// </summary>
public static class ProxySysctls
{
    public static readonly IReadOnlyList<(string Path, string Value)> Settings =
    [
        ("/proc/sys/net/ipv4/ip_forward", "1"),
        ("/proc/sys/net/ipv4/conf/all/route_localnet", "1"),
        ("/proc/sys/net/bridge/bridge-nf-call-iptables", "1"),
    ];

    /// <summary>Loads br_netfilter and writes each setting; what cannot be set is logged, not fatal (a container may forbid it).</summary>
    public static void Apply(ILogger logger)
    {
        if (!Directory.Exists("/proc/sys/net/bridge"))
        {
            LoadModule("br_netfilter", logger);
        }

        foreach (var (path, value) in Settings)
        {
            try
            {
                if (File.ReadAllText(path).Trim() != value)
                {
                    File.WriteAllText(path, value);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("could not set {Setting}={Value} ({Message}): Service traffic may not work as expected", path["/proc/sys/".Length..].Replace('/', '.'), value, ex.Message);
            }
        }
    }

    private static void LoadModule(string module, ILogger logger)
    {
        try
        {
            using var modprobe = Process.Start(new ProcessStartInfo("modprobe", [module]) { RedirectStandardError = true });
            modprobe!.WaitForExit();
        }
        catch (Win32Exception ex)
        {
            logger.LogWarning("could not load {Module}: {Message}", module, ex.Message);
        }
    }
}
