using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Simulated;

/// <summary>
/// The Node and Lease objects a kubelet writes, for a simulated node: labels (kubelet's getNodeLabels), capacity,
/// addresses, conditions and nodeInfo (pkg/kubelet/nodestatus/setters.go),.
/// </summary>
internal static class NodeObjects
{
    /// <summary>nodeStatusReportFrequency: with Leases the kubelet writes an unchanged status every 5 minutes.</summary>
    public static readonly TimeSpan StatusReportInterval = TimeSpan.FromMinutes(5);

    public const string InstanceType = "simulated";

    public const string ContainerRuntimeVersion = "simulated://1.0.0";

    public static V1Node Node(SimulatedNode node, SimulatedNodesOptions options, string kubeletVersion, DateTimeOffset now)
    {
        var labels = NodeLabels.Standard(node.Name, "amd64");
        labels["node.kubernetes.io/instance-type"] = InstanceType;
        foreach (var (key, value) in options.Labels)
        {
            labels[key] = value;
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = node.Name,
                Labels = labels,
                Annotations = NodeLabels.Annotations(),
            },
            Spec = new V1NodeSpec
            {
                // Set here because nothing else does yet: in K3s (and kube-controller-manager's
                // --allocate-node-cidrs) the node IPAM controller gives each new node its /24. Once Timonel has that
                // controller it assigns them, and a node registers without.
                PodCIDR = node.PodCidr,
                PodCIDRs = [node.PodCidr],
            },
            Status = Status(node, options, kubeletVersion, now),
        };
    }

    public static V1NodeStatus Status(SimulatedNode node, SimulatedNodesOptions options, string kubeletVersion, DateTimeOffset now)
    {
        var capacity = options.Capacity.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value), StringComparer.Ordinal);
        return new V1NodeStatus
        {
            Capacity = capacity,
            Allocatable = new Dictionary<string, ResourceQuantity>(capacity, StringComparer.Ordinal),
            Conditions = NodeConditions.Healthy(now, node.ReadySince),
            // setters.NodeAddress: the node IP, then the hostname.
            Addresses = [new V1NodeAddress { Address = node.InternalIp, Type = "InternalIP" }, new V1NodeAddress { Address = node.Name, Type = "Hostname" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                BootID = Id(node.Name, "boot"),
                ContainerRuntimeVersion = ContainerRuntimeVersion,
                KernelVersion = "6.1.0-simulated",
                KubeletVersion = kubeletVersion,
                // Deprecated, but a 1.32 kubelet still reports its own version here (DisableNodeKubeProxyVersion is off
                // by default until 1.33, setters.go), and clients such as the Python client 22.6 refuse a node without it.
                KubeProxyVersion = kubeletVersion,
                MachineID = Id(node.Name, "machine").Replace("-", "", StringComparison.Ordinal),
                OperatingSystem = "linux",
                OsImage = "Timonel Simulated Node",
                SystemUUID = Id(node.Name, "system"),
            },
        };
    }

    // Stable per node: a restarted agent reports the same machine.
    private static string Id(string name, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}/{name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
