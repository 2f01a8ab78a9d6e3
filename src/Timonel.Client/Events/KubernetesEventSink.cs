using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>core/v1 Events over the API server's REST API (client-go's typed EventSinkImpl).</summary>
public sealed class KubernetesEventSink : IEventSink
{
    private readonly IKubernetes _client;

    public KubernetesEventSink(IKubernetes client)
    {
        _client = client;
    }

    public Task<Corev1Event> CreateAsync(Corev1Event ev, CancellationToken cancellationToken) =>
        _client.CoreV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public async Task<Corev1Event?> PatchAsync(Corev1Event ev, string patch, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.PatchNamespacedEventAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), ev.Metadata.Name, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
