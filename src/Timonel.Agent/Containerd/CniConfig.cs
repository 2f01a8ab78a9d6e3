using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Agent.Containerd;

/// <summary>
/// The node's CNI network list, read by containerd's CRI plugin for every sandbox: a bridge (the pods' gateway,
/// masquerading traffic that leaves the pod range, hairpin so a pod reaches itself through a Service) with
/// host-local addresses from the node's podCIDR, then portmap for hostPort. containerd adds loopback itself.
/// cniVersion 1.0.0: Debian 12's plugins (1.1.1) and containerd 1.6 both speak it.
/// </summary>
public static class CniConfig
{
    public const string NetworkName = "timonel";
    public const string DefaultBridge = "cni0";
    public const string FileName = "10-timonel.conflist";

    /// <exception cref="ArgumentException">The podCIDR is not an IPv4 or IPv6 network.</exception>
    public static string Render(string podCidr, string bridge = DefaultBridge, string? ipamDataDir = null)
    {
        if (!IPNetwork.TryParse(podCidr, out var network))
        {
            throw new ArgumentException($"podCIDR \"{podCidr}\" is not a network in CIDR notation (such as 10.42.0.0/24)");
        }

        var defaultRoute = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "::/0" : "0.0.0.0/0";
        var ipam = new JsonObject
        {
            ["type"] = "host-local",
            ["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = network.ToString() })),
            ["routes"] = new JsonArray(new JsonObject { ["dst"] = defaultRoute }),
        };
        if (ipamDataDir is not null)
        {
            ipam["dataDir"] = ipamDataDir;
        }

        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = NetworkName,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = bridge,
                    ["isGateway"] = true,
                    ["ipMasq"] = true,
                    ["hairpinMode"] = true,
                    ["ipam"] = ipam,
                },
                new JsonObject
                {
                    ["type"] = "portmap",
                    ["capabilities"] = new JsonObject { ["portMappings"] = true },
                }),
        };
        return conflist.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Writes the network list into containerd's CNI conf dir; containerd notices it and turns NetworkReady true.</summary>
    /// <returns>The file written.</returns>
    public static string Write(string dir, string podCidr, string bridge = DefaultBridge, string? ipamDataDir = null)
    {
        var path = Path.Combine(dir, FileName);
        AtomicFile.Write(path, Render(podCidr, bridge, ipamDataDir));
        return path;
    }
}
