using k8s.Models;

namespace Timonel.Agent.NodeAgent;

/// <summary>
/// The node Lease a kubelet keeps as its heartbeat (pkg/kubelet/nodelease/controller.go): in kube-node-lease, named
/// as the node, lasting 40 s, renewed every 10 s, owned by the Node.
/// </summary>
internal static class NodeLeases
{
    public const string Namespace = "kube-node-lease";

    /// <summary>kubelet's --node-lease-duration-seconds default.</summary>
    public const int DurationSeconds = 40;

    /// <summary>The Lease renew interval: a quarter of its duration (nodelease.NewController's renewIntervalFraction 0.25).</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    public static V1Lease Lease(string node, string? nodeUid, DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta
        {
            Name = node,
            NamespaceProperty = Namespace,
            // The Lease goes with its Node (nodelease controller's setNodeOwnerFunc).
            OwnerReferences = nodeUid is { } uid ? [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = uid }] : null,
        },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = node,
            LeaseDurationSeconds = DurationSeconds,
            RenewTime = now.UtcDateTime,
        },
    };

    /// <summary>
    /// Renews the node's Lease, reading (or creating) it first when <paramref name="resourceVersion"/> is unknown;
    /// answers the Lease's new resourceVersion. A failure throws: the caller forgets the resourceVersion and reads
    /// the Lease again next time (a conflict means someone else wrote it).
    /// </summary>
    public static async Task<string> RenewAsync(INodeAgentApi api, string node, string nodeUid, string? resourceVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (resourceVersion is null)
        {
            var lease = await api.EnsureLeaseAsync(Lease(node, nodeUid, now), cancellationToken);
            if (lease.Spec.RenewTime is { } renewed && renewed >= ApiTime.Seconds(now))
            {
                return lease.Metadata.ResourceVersion;
            }

            resourceVersion = lease.Metadata.ResourceVersion;
        }

        return await api.RenewLeaseAsync(new LeaseRenewal(node, nodeUid, resourceVersion, now), cancellationToken);
    }
}
