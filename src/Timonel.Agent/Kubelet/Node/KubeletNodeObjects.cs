using System.Globalization;
using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Kubelet.Node;

/// <summary>
/// The Node a kubelet on a real machine registers and keeps current (kubelet_node_status.go, nodestatus/setters.go):
/// capacity from the machine, allocatable less the default hard eviction thresholds, the node IP and hostname, the
/// pressure conditions and Ready from the runtime's status, nodeInfo.
/// </summary>
internal static class KubeletNodeObjects
{
    /// <summary>The default hard eviction threshold memory.available&lt;100Mi, kept out of allocatable.</summary>
    public const long MemoryEvictionThreshold = 100L * 1024 * 1024;

    /// <summary>The default hard eviction threshold nodefs.available&lt;10%, kept out of allocatable.</summary>
    public const int StorageEvictionPercent = 10;

    public const int DefaultMaxPods = 110;

    public static V1Node Node(string name, MachineInfo machine, string? podCidr, int maxPods, string kubeletVersion, string runtimeVersion, RuntimeStatus runtime, DateTimeOffset now, DateTimeOffset readySince) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Labels = NodeLabels.Standard(name, machine.Architecture), Annotations = NodeLabels.Annotations() },
        Spec = podCidr is null ? new V1NodeSpec() : new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
        Status = Status(name, machine, maxPods, kubeletVersion, runtimeVersion, runtime, now, readySince),
    };

    /// <summary>The node's addresses: the machine's InternalIP and the node's name as its Hostname.</summary>
    public static List<V1NodeAddress> Addresses(string name, MachineInfo machine) =>
        [new V1NodeAddress { Address = machine.InternalIP, Type = "InternalIP" }, new V1NodeAddress { Address = name, Type = "Hostname" }];

    public static V1NodeStatus Status(string name, MachineInfo machine, int maxPods, string kubeletVersion, string runtimeVersion, RuntimeStatus runtime, DateTimeOffset now, DateTimeOffset readySince)
    {
        var allocatable = Allocatable(machine, maxPods);
        return new V1NodeStatus
        {
            Capacity = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
                ["memory"] = Kibibytes(machine.MemoryBytes),
                ["ephemeral-storage"] = Kibibytes(machine.EphemeralStorageBytes),
                ["pods"] = new(maxPods.ToString(CultureInfo.InvariantCulture)),
            },
            Allocatable = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(machine.Cpus.ToString(CultureInfo.InvariantCulture)),
                ["memory"] = Kibibytes(allocatable.MemoryBytes),
                ["ephemeral-storage"] = new((machine.EphemeralStorageBytes * (100 - StorageEvictionPercent) / 100).ToString(CultureInfo.InvariantCulture)),
                ["pods"] = new(maxPods.ToString(CultureInfo.InvariantCulture)),
            },
            Conditions = [.. NodeConditions.NoPressure(now, readySince), Ready(runtime, now, readySince)],
            Addresses = Addresses(name, machine),
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = machine.Architecture,
                BootID = machine.BootId,
                ContainerRuntimeVersion = runtimeVersion,
                KernelVersion = machine.KernelVersion,
                KubeletVersion = kubeletVersion,
                // A 1.32 kubelet still reports its version here (see the simulated nodes).
                KubeProxyVersion = kubeletVersion,
                MachineID = machine.MachineId,
                OperatingSystem = "linux",
                OsImage = machine.OsImage,
                SystemUUID = machine.SystemUuid,
            },
        };
    }

    /// <summary>What pods may request: all cpus, memory less the eviction threshold, the pod limit.</summary>
    public static NodeResources Allocatable(MachineInfo machine, int maxPods) =>
        new(machine.Cpus * 1000L, Math.Max(0, machine.MemoryBytes - MemoryEvictionThreshold), maxPods);

    /// <summary>Whether the runtime reports RuntimeReady and NetworkReady.</summary>
    public static bool IsReady(RuntimeStatus runtime) => NotReadyMessage(runtime) is null;

    /// <summary>Ready True while the runtime and its network are ready; else False with upstream's KubeletNotReady message.</summary>
    public static V1NodeCondition Ready(RuntimeStatus runtime, DateTimeOffset now, DateTimeOffset since) => NotReadyMessage(runtime) is { } message
        ? NodeConditions.Condition("Ready", "False", "KubeletNotReady", message, now, since)
        : NodeConditions.Condition("Ready", "True", "KubeletReady", NodeConditions.ReadyMessage, now, since);

    private static string? NotReadyMessage(RuntimeStatus runtime)
    {
        var problems = new List<string>();
        foreach (var type in new[] { "RuntimeReady", "NetworkReady" })
        {
            var condition = runtime.Conditions.FirstOrDefault(c => c.Type == type);
            if (condition is null || !condition.Status)
            {
                var what = type == "RuntimeReady" ? "container runtime not ready" : "container runtime network not ready";
                problems.Add($"{what}: {type}=false reason:{condition?.Reason} message:{condition?.Message}");
            }
        }

        return problems.Count == 0 ? null : string.Join(", ", problems);
    }

    private static ResourceQuantity Kibibytes(long bytes) => new($"{bytes / 1024}Ki");
}
