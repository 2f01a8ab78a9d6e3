namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>What pods may use of a node (its allocatable): cpu in millicores, memory in bytes, and a pod count.</summary>
internal sealed record NodeResources(long MilliCpu, long MemoryBytes, long Pods);
