using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Cloud.Node;

/// <summary>
/// Fills in what the cloud knows of each Node (k8s.io/cloud-provider's cloud node controller): spec.providerID
/// (set once, as it is immutable), the instance-type and topology zone/region labels (stable and beta names, as
/// upstream writes both), and status.addresses when the cloud reports some that differ; then removes the
/// <c>node.cloudprovider.kubernetes.io/uninitialized</c> taint a kubelet run with an external cloud provider
/// registers with. Every Node is looked at again every 5 minutes (--node-status-update-frequency).
/// </summary>
public sealed class CloudNodeController : ControllerBase
{
    public const string Component = "cloud-node-controller";
    public const string UninitializedTaint = "node.cloudprovider.kubernetes.io/uninitialized";
    public static readonly TimeSpan StatusUpdateFrequency = TimeSpan.FromMinutes(5);

    private readonly IKubernetes _client;
    private readonly IInstances _instances;
    private readonly IZones? _zones;
    private readonly SharedInformer<V1Node> _nodes;

    public CloudNodeController(IKubernetes client, IInstances instances, IZones? zones, SharedInformer<V1Node> nodes, TimeProvider time, ILogger<CloudNodeController> logger)
        : base(logger, time, [nodes])
    {
        _client = client;
        _instances = instances;
        _zones = zones;
        _nodes = nodes;
        nodes.AddHandlers(new InformerHandlers<V1Node>(
            node => Enqueue(ObjectKey.Of(node)),
            (old, node) =>
            {
                // A kubelet re-registering may drop what was set: look again when the labels or providerID change.
                if (old.Spec?.ProviderID != node.Spec?.ProviderID || !SameLabels(old, node) || HasUninitializedTaint(node))
                {
                    Enqueue(ObjectKey.Of(node));
                }
            }));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_nodes.Cache.Get("", key) is not { } node || node.Metadata.DeletionTimestamp is not null)
        {
            return SyncResult.Done;
        }

        var metadata = await _instances.InstanceMetadataAsync(node, cancellationToken).ConfigureAwait(false);
        var zone = _zones is null ? null : await _zones.GetZoneAsync(node, cancellationToken).ConfigureAwait(false);
        var labels = CloudNodeLabels.Wanted(metadata, zone).Where(l => node.Metadata.Labels is not { } current || !current.TryGetValue(l.Key, out var value) || value != l.Value).ToList();
        var providerId = node.Spec?.ProviderID is not { Length: > 0 } && metadata.ProviderId.Length > 0;
        if (labels.Count > 0 || providerId || HasUninitializedTaint(node))
        {
            await _client.CoreV1.PatchNodeAsync(new V1Patch(Patch(node, metadata, labels).ToJsonString(), V1Patch.PatchType.StrategicMergePatch), node.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            Logger.LogInformation("node {Node} initialized from the cloud provider (providerID {ProviderId})", node.Metadata.Name, node.Spec?.ProviderID is { Length: > 0 } id ? id : metadata.ProviderId);
        }

        if (metadata.NodeAddresses.Count > 0 && !SameAddresses(node.Status?.Addresses, metadata.NodeAddresses))
        {
            var addresses = new JsonObject { ["status"] = new JsonObject { ["addresses"] = JsonNode.Parse(KubernetesJson.Serialize(metadata.NodeAddresses)) } };
            await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(addresses.ToJsonString(), V1Patch.PatchType.MergePatch), node.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return SyncResult.Requeue(StatusUpdateFrequency);
    }

    private static JsonObject Patch(V1Node node, InstanceMetadata metadata, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var spec = new JsonObject();
        if (node.Spec?.ProviderID is not { Length: > 0 } && metadata.ProviderId.Length > 0)
        {
            spec["providerID"] = metadata.ProviderId;
        }

        if (HasUninitializedTaint(node))
        {
            // Taints have no merge key: the list is sent whole, without the one removed.
            spec["taints"] = JsonNode.Parse(KubernetesJson.Serialize(node.Spec!.Taints!.Where(t => t.Key != UninitializedTaint).ToList()));
        }

        var labelPatch = new JsonObject();
        foreach (var (name, value) in labels)
        {
            labelPatch[name] = value;
        }

        return new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labelPatch }, ["spec"] = spec };
    }

    private static bool HasUninitializedTaint(V1Node node) => node.Spec?.Taints?.Any(t => t.Key == UninitializedTaint) == true;

    private static bool SameLabels(V1Node a, V1Node b) =>
        (a.Metadata.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal)
            .SequenceEqual((b.Metadata.Labels ?? new Dictionary<string, string>()).OrderBy(l => l.Key, StringComparer.Ordinal));

    private static bool SameAddresses(IList<V1NodeAddress>? current, IReadOnlyList<V1NodeAddress> wanted) =>
        (current ?? []).Select(a => a.Type + "=" + a.Address).SequenceEqual(wanted.Select(a => a.Type + "=" + a.Address), StringComparer.Ordinal);
}
