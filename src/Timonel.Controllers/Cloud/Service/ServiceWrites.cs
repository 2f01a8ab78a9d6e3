using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Controllers.Cloud.Service;

/// <summary>The service controller's writes to a Service: its cleanup finalizer and status.loadBalancer.</summary>
public sealed class ServiceWrites(IKubernetes client)
{
    public async Task AddFinalizerAsync(V1Service service, CancellationToken cancellationToken)
    {
        if (LoadBalancerServices.HasCleanupFinalizer(service))
        {
            return;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray(LoadBalancerServices.CleanupFinalizer) } };
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveFinalizerAsync(V1Service service, CancellationToken cancellationToken)
    {
        if (!LoadBalancerServices.HasCleanupFinalizer(service))
        {
            return;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["$deleteFromPrimitiveList/finalizers"] = new JsonArray(LoadBalancerServices.CleanupFinalizer) } };
        await IgnoreNotFoundAsync(() => client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Writes status.loadBalancer when it differs from what the Service shows (an empty one removes the ingress list).</summary>
    public async Task PatchStatusAsync(V1Service service, V1LoadBalancerStatus status, CancellationToken cancellationToken)
    {
        if (Same(service.Status?.LoadBalancer, status))
        {
            return;
        }

        var ingress = status.Ingress is { Count: > 0 } list ? JsonNode.Parse(KubernetesJson.Serialize(list)) : null;
        var patch = new JsonObject { ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = ingress } } };
        await IgnoreNotFoundAsync(() => client.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Same ingress points in the same order (upstream's loadBalancerStatusEqual compares them as they are).</summary>
    public static bool Same(V1LoadBalancerStatus? current, V1LoadBalancerStatus wanted) =>
        (current?.Ingress ?? []).Select(Text).SequenceEqual((wanted.Ingress ?? []).Select(Text), StringComparer.Ordinal);

    private static string Text(V1LoadBalancerIngress ingress) => $"{ingress.Ip}|{ingress.Hostname}|{ingress.IpMode}";

    // A Service deleted meanwhile has nothing left to write to.
    private static async Task IgnoreNotFoundAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
