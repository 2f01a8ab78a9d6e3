using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Client.Events;

/// <summary>events.k8s.io/v1 Events over the API server's REST API (client-go's events.EventSinkImpl).</summary>
public sealed class KubernetesEventsV1Sink : IEventsV1Sink
{
    private readonly IKubernetes _client;

    public KubernetesEventsV1Sink(IKubernetes client)
    {
        _client = client;
    }

    public Task<Eventsv1Event> CreateAsync(Eventsv1Event ev, CancellationToken cancellationToken) =>
        _client.EventsV1.CreateNamespacedEventAsync(ev, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public async Task<Eventsv1Event?> PatchAsync(Eventsv1Event ev, string patch, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.EventsV1.PatchNamespacedEventAsync(
                new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), ev.Metadata.Name, ev.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
