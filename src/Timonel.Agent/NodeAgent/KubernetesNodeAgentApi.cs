using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Agent.NodeAgent;

/// <summary><see cref="INodeAgentApi"/> over the API server's REST API.</summary>
internal sealed class KubernetesNodeAgentApi : INodeAgentApi
{
    private readonly IKubernetes _client;
    private readonly LeaseWriter _leases;

    public KubernetesNodeAgentApi(IKubernetes client, LeaseWriter leases)
    {
        _client = client;
        _leases = leases;
    }

    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken) =>
        (await _client.Version.GetCodeAsync(cancellationToken)).GitVersion;

    public async Task<V1Node> RegisterNodeAsync(V1Node node, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.CreateNodeAsync(node, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await PatchNodeStatusAsync(node.Metadata.Name, node.Status, cancellationToken);
            return await _client.CoreV1.ReadNodeAsync(node.Metadata.Name, cancellationToken: cancellationToken);
        }
    }

    public Task PatchNodeStatusAsync(string name, V1NodeStatus status, CancellationToken cancellationToken) =>
        _client.CoreV1.PatchNodeStatusAsync(MergePatch(new JsonObject { ["status"] = ToJson(status) }), name, cancellationToken: cancellationToken);

    public async Task<V1Lease> EnsureLeaseAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoordinationV1.ReadNamespacedLeaseAsync(lease.Metadata.Name, lease.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return await _client.CoordinationV1.CreateNamespacedLeaseAsync(lease, lease.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
    }

    public Task<string> RenewLeaseAsync(LeaseRenewal renewal, CancellationToken cancellationToken) => _leases.RenewAsync(renewal, cancellationToken);

    public Task PatchPodStatusAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        // A JSON merge patch replaces the lists (conditions, container statuses) whole, which is what is meant: the
        // status is written complete. The uid makes the patch fail on a pod recreated under the same name.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["uid"] = pod.Metadata.Uid },
            ["status"] = ToJson(status),
        };
        return _client.CoreV1.PatchNamespacedPodStatusAsync(MergePatch(patch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(
                pod.Metadata.Name,
                pod.Metadata.NamespaceProperty,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already, or another pod of that name now: nothing of this one is left to remove.
        }
    }

    private static V1Patch MergePatch(JsonObject patch) => new(patch.ToJsonString(), V1Patch.PatchType.MergePatch);

    private static JsonNode? ToJson<T>(T value) => JsonNode.Parse(KubernetesJson.Serialize(value));
}
