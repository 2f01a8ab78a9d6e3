using k8s.Models;

namespace Timonel.Agent.NodeAgent;

/// <summary>The writes a kubelet makes to the API server, as simulated nodes need them (a fake records them in tests).</summary>
internal interface INodeAgentApi
{
    /// <summary>The server's gitVersion, reported as each node's kubeletVersion.</summary>
    Task<string> ServerVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the Node; if it exists already (the agent restarted), writes the new status over the existing one
    /// (kubelet's registerWithAPIServer then updateNodeStatus). Answers the stored Node.
    /// </summary>
    Task<V1Node> RegisterNodeAsync(V1Node node, CancellationToken cancellationToken);

    /// <summary>Writes a node's status conditions (the heartbeat the kubelet sends every 5 minutes with Leases).</summary>
    Task PatchNodeStatusAsync(string name, V1NodeStatus status, CancellationToken cancellationToken);

    /// <summary>Reads the node's Lease, creating it from <paramref name="lease"/> if missing (nodelease's ensureLease).</summary>
    Task<V1Lease> EnsureLeaseAsync(V1Lease lease, CancellationToken cancellationToken);

    /// <summary>Renews the Lease at the resourceVersion last seen (a conflict throws); answers its new resourceVersion.</summary>
    Task<string> RenewLeaseAsync(LeaseRenewal renewal, CancellationToken cancellationToken);

    /// <summary>Writes a pod's status through pods/status, guarded by its uid (a pod recreated under the same name is not touched).</summary>
    Task PatchPodStatusAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken);

    /// <summary>Removes a pod whose containers have stopped: grace period 0, preconditioned on its uid, as the status manager does.</summary>
    Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken);
}
