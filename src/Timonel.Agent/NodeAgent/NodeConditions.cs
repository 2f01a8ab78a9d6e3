using k8s.Models;

namespace Timonel.Agent.NodeAgent;

/// <summary>
/// The conditions a kubelet reports on its Node, in its order (nodestatus/setters.go MemoryPressureCondition,
/// DiskPressureCondition, PIDPressureCondition, ReadyCondition), with upstream's reasons and messages.
/// </summary>
internal static class NodeConditions
{
    public const string ReadyMessage = "kubelet is posting ready status";

    /// <summary>A node without pressure whose runtime is ready.</summary>
    public static List<V1NodeCondition> Healthy(DateTimeOffset heartbeat, DateTimeOffset since) =>
    [
        .. NoPressure(heartbeat, since),
        Condition("Ready", "True", "KubeletReady", ReadyMessage, heartbeat, since),
    ];

    /// <summary>MemoryPressure, DiskPressure and PIDPressure, all False.</summary>
    public static List<V1NodeCondition> NoPressure(DateTimeOffset heartbeat, DateTimeOffset since) =>
    [
        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", heartbeat, since),
        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", heartbeat, since),
        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", heartbeat, since),
    ];

    public static V1NodeCondition Condition(string type, string status, string reason, string message, DateTimeOffset heartbeat, DateTimeOffset since) =>
        new()
        {
            Type = type,
            Status = status,
            LastHeartbeatTime = ApiTime.Seconds(heartbeat),
            LastTransitionTime = ApiTime.Seconds(since),
            Message = message,
            Reason = reason,
        };
}
