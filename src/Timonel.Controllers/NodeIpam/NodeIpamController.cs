using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Client.Objects;

namespace Timonel.Controllers.NodeIpam;

/// <summary>
/// Gives every Node without one a pod range, a free /24 of the cluster range, as kube-controller-manager's node-ipam
/// controller does with --allocate-node-cidrs (K3s runs it so): spec.podCIDR and spec.podCIDRs are set once and never
/// changed, so a range is taken from the cache and from the ranges this controller gave and the cache may not show
/// yet. One worker, so two nodes never get the same range.
/// </summary>
public sealed class NodeIpamController : ControllerBase
{
    public const string Component = "node-ipam-controller";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly string _clusterCidr;
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    public NodeIpamController(IKubernetes client, SharedInformer<V1Node> nodes, string clusterCidr, TimeProvider time, ILogger<NodeIpamController> logger)
        : base(logger, time, [nodes])
    {
        // Refuses a malformed range at start rather than at the first node.
        PodCidrs.Pick(clusterCidr, []);
        _client = client;
        _nodes = nodes;
        _clusterCidr = clusterCidr;
        nodes.AddHandlers(new(OnAdd: EnqueueWithoutRange, OnUpdate: (_, node) => EnqueueWithoutRange(node)));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (_, name) = ObjectKey.Split(key);
        if (_nodes.Cache.Get("", name) is not { } node || HasRange(node) || node.Metadata.DeletionTimestamp is not null)
        {
            return SyncResult.Done;
        }

        var taken = _nodes.Cache.List().Select(n => n.Spec?.PodCIDR).OfType<string>().Concat(_given);
        if (PodCidrs.Pick(_clusterCidr, taken) is not { } cidr)
        {
            Logger.LogError("node {Node}: no pod range of {ClusterCidr} is left (CIDRNotAvailable)", name, _clusterCidr);
            return SyncResult.Requeue(TimeSpan.FromMinutes(1));
        }

        var patch = new V1Patch(new { spec = new { podCIDR = cidr, podCIDRs = new[] { cidr } } }, V1Patch.PatchType.StrategicMergePatch);
        await _client.CoreV1.PatchNodeAsync(patch, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        _given.Add(cidr);
        Logger.LogInformation("node {Node} given pod range {PodCidr}", name, cidr);
        return SyncResult.Done;
    }

    private static bool HasRange(V1Node node) => node.Spec?.PodCIDR is { Length: > 0 };

    private void EnqueueWithoutRange(V1Node node)
    {
        if (!HasRange(node))
        {
            Enqueue(ObjectKey.Of(node));
        }
    }
}
