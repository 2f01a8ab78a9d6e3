namespace Timonel.Agent.Kubelet.Node;

/// <summary>What the kubelet reports of the machine it runs on (cadvisor's MachineInfo and the node's identity).</summary>
public sealed record MachineInfo(
    int Cpus,
    long MemoryBytes,
    long EphemeralStorageBytes,
    string MachineId,
    string BootId,
    string SystemUuid,
    string KernelVersion,
    string OsImage,
    string Architecture,
    string Hostname,
    string InternalIP);
