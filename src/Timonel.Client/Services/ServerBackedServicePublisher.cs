using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Timonel.Client.Services;

/// <summary>
/// Keeps a <see cref="ServerBackedService"/> pointing at this server: creates the Service when missing (a user's edits
/// to an existing one are kept), adds this server's address to its Endpoints and EndpointSlice, and takes it out
/// again on stop, so several servers sharing a datastore each take a share of the traffic.
/// </summary>
public sealed class ServerBackedServicePublisher
{
    private readonly IKubernetes _client;
    private readonly ServerBackedService _service;
    private readonly IPAddress _address;

    public ServerBackedServicePublisher(IKubernetes client, ServerBackedService service, IPAddress address)
    {
        _client = client;
        _service = service;
        _address = address;
    }

    /// <summary>False for a loopback or unspecified address, which Endpoints validation refuses (pods could not reach it either).</summary>
    public bool CanBeEndpoint => !IPAddress.IsLoopback(_address) && !_address.Equals(IPAddress.Any) && !_address.Equals(IPAddress.IPv6Any);

    /// <summary>
    /// Publishes, retrying while the API server may still be settling (the kube-system namespace, RBAC); a refusal
    /// that will not change (an invalid object) is logged once and the caller serves anyway.
    /// </summary>
    public async Task PublishAsync(ILogger logger, CancellationToken stopping)
    {
        if (!CanBeEndpoint)
        {
            logger.LogWarning("this server listens on {Address}, which cannot be an endpoint: {Service} gets no endpoints", _address, _service.Name);
        }

        while (true)
        {
            try
            {
                await PublishAsync(stopping).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is HttpOperationException http && IsTransient(http.Response.StatusCode)))
            {
                logger.LogDebug("unable to publish the {Service} service yet: {Message}", _service.Name, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
            }
            catch (HttpOperationException ex)
            {
                logger.LogWarning("unable to publish the {Service} service: {Message} {Body}", _service.Name, ex.Message, ex.Response.Content);
                return;
            }
        }
    }

    /// <summary>Takes this server out of the endpoints on stop, within <paramref name="within"/>; a failure is only logged.</summary>
    public async Task WithdrawAsync(ILogger logger, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await WithdrawAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("unable to remove this server from the {Service} service's endpoints: {Message}", _service.Name, ex.Message);
        }
    }

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.CreateNamespacedServiceAsync(_service.Service, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier run or another server: kept as it is, but for its ports, which follow the
            // server's flags (a server started again with other ports moves the Service with it).
            await AlignPortsAsync(cancellationToken).ConfigureAwait(false);
        }

        if (CanBeEndpoint)
        {
            await WriteAsync(addresses => addresses.Append(_address), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task WithdrawAsync(CancellationToken cancellationToken) =>
        CanBeEndpoint ? WriteAsync(addresses => addresses.Where(address => !address.Equals(_address)), cancellationToken) : Task.CompletedTask;

    private async Task WriteAsync(Func<IEnumerable<IPAddress>, IEnumerable<IPAddress>> change, CancellationToken cancellationToken)
    {
        var endpoints = await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedEndpointsAsync(_service.Name, _service.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var current = (endpoints?.Subsets ?? []).SelectMany(subset => subset.Addresses ?? []).Select(address => IPAddress.TryParse(address.Ip, out var ip) ? ip : null).OfType<IPAddress>();
        var addresses = change(current).Distinct().OrderBy(address => address.ToString(), StringComparer.Ordinal).ToList();
        var desiredEndpoints = _service.Endpoints(addresses);
        if (endpoints is null)
        {
            await _client.CoreV1.CreateNamespacedEndpointsAsync(desiredEndpoints, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            desiredEndpoints.Metadata.ResourceVersion = endpoints.Metadata.ResourceVersion;
            await _client.CoreV1.ReplaceNamespacedEndpointsAsync(desiredEndpoints, _service.Name, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var desiredSlice = _service.EndpointSlice(addresses);
        var slice = await ReadOrNullAsync(() => _client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(_service.Name, _service.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (slice is null)
        {
            await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(desiredSlice, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            desiredSlice.Metadata.ResourceVersion = slice.Metadata.ResourceVersion;
            await _client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(desiredSlice, _service.Name, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AlignPortsAsync(CancellationToken cancellationToken)
    {
        var existing = await _client.CoreV1.ReadNamespacedServiceAsync(_service.Name, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var desired = _service.Service.Spec.Ports ?? [];
        if (PortsOf(existing.Spec?.Ports ?? []).SequenceEqual(PortsOf(desired)))
        {
            return;
        }

        // A merge patch replaces the list whole; the API server carries node ports over for ports it still has.
        var patch = new V1Service { Spec = new V1ServiceSpec { Ports = desired } };
        await _client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), _service.Name, _service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<(string Name, int Port, string Protocol, string? TargetPort)> PortsOf(IEnumerable<V1ServicePort> ports) =>
        ports.Select(p => (p.Name, p.Port, p.Protocol ?? "TCP", p.TargetPort?.Value));

    private static bool IsTransient(HttpStatusCode code) =>
        code is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)code >= 500;

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
