using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Cloud.Node;

/// <summary>
/// Follows NotReady Nodes' machines in the cloud (k8s.io/cloud-provider's cloud node lifecycle controller): a
/// machine shut down gets its Node the <c>node.cloudprovider.kubernetes.io/shutdown</c> NoSchedule taint (removed
/// once the Node is Ready again), a machine gone gets its Node deleted (event DeletingNode). A NotReady Node is
/// looked at again every 5 s (--node-monitor-period).
/// </summary>
public sealed class CloudNodeLifecycleController : ControllerBase
{
    public const string Component = "cloud-node-lifecycle-controller";
    public const string ShutdownTaint = "node.cloudprovider.kubernetes.io/shutdown";
    public static readonly TimeSpan MonitorPeriod = TimeSpan.FromSeconds(5);

    private readonly IKubernetes _client;
    private readonly IInstances _instances;
    private readonly SharedInformer<V1Node> _nodes;
    private readonly IEventRecorder _recorder;

    public CloudNodeLifecycleController(IKubernetes client, IInstances instances, SharedInformer<V1Node> nodes, IEventRecorder recorder, TimeProvider time, ILogger<CloudNodeLifecycleController> logger)
        : base(logger, time, [nodes])
    {
        _client = client;
        _instances = instances;
        _nodes = nodes;
        _recorder = recorder;
        nodes.AddHandlers(new InformerHandlers<V1Node>(
            node => Enqueue(ObjectKey.Of(node)),
            (old, node) =>
            {
                if (CloudNodes.IsReady(old) != CloudNodes.IsReady(node))
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

        var tainted = node.Spec?.Taints?.Any(t => t.Key == ShutdownTaint) == true;
        if (CloudNodes.IsReady(node))
        {
            if (tainted)
            {
                await PatchTaintsAsync(node, node.Spec!.Taints!.Where(t => t.Key != ShutdownTaint), cancellationToken).ConfigureAwait(false);
            }

            return SyncResult.Done;
        }

        if (await _instances.InstanceShutdownAsync(node, cancellationToken).ConfigureAwait(false))
        {
            if (!tainted)
            {
                await PatchTaintsAsync(node, [.. node.Spec?.Taints ?? [], new V1Taint { Key = ShutdownTaint, Effect = "NoSchedule" }], cancellationToken).ConfigureAwait(false);
            }
        }
        else if (!await _instances.InstanceExistsAsync(node, cancellationToken).ConfigureAwait(false))
        {
            _recorder.Event(node, "Normal", "DeletingNode", $"Deleting node {node.Metadata.Name} because it does not exist in the cloud provider");
            try
            {
                await _client.CoreV1.DeleteNodeAsync(node.Metadata.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
            }

            return SyncResult.Done;
        }

        return SyncResult.Requeue(MonitorPeriod);
    }

    private Task PatchTaintsAsync(V1Node node, IEnumerable<V1Taint> taints, CancellationToken cancellationToken)
    {
        // Taints have no merge key: the list is sent whole.
        var patch = new JsonObject { ["spec"] = new JsonObject { ["taints"] = JsonNode.Parse(KubernetesJson.Serialize(taints.ToList())) } };
        return _client.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), node.Metadata.Name, cancellationToken: cancellationToken);
    }
}
