using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Timonel.Networking.Dns;

/// <summary>
/// Keeps kube-system/kube-dns pointing at this server's DNS: creates the Service (its fixed cluster IP) when missing,
/// adds this server's listen address to its Endpoints and EndpointSlice, and takes it out again on stop, so several
/// servers sharing a datastore each serve a share of the queries.
/// </summary>
public sealed class KubeDnsPublisher
{
    private readonly IKubernetes _client;
    private readonly ClusterDnsOptions _options;

    public KubeDnsPublisher(IKubernetes client, ClusterDnsOptions options)
    {
        _client = client;
        _options = options;
    }

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.CreateNamespacedServiceAsync(KubeDnsService.Service(_options.ServiceIP), KubeDnsService.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created by an earlier run or another server; a user's edits to it are kept.
        }

        if (CanBeEndpoint)
        {
            await WriteAsync(addresses => addresses.Append(_options.ListenAddress), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task WithdrawAsync(CancellationToken cancellationToken) =>
        CanBeEndpoint ? WriteAsync(addresses => addresses.Where(address => !address.Equals(_options.ListenAddress)), cancellationToken) : Task.CompletedTask;

    /// <summary>False for a loopback or unspecified listen address, which Endpoints validation refuses (pods could not reach it either).</summary>
    public bool CanBeEndpoint => !IPAddress.IsLoopback(_options.ListenAddress) && !_options.ListenAddress.Equals(IPAddress.Any) && !_options.ListenAddress.Equals(IPAddress.IPv6Any);

    private async Task WriteAsync(Func<IEnumerable<IPAddress>, IEnumerable<IPAddress>> change, CancellationToken cancellationToken)
    {
        var endpoints = await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedEndpointsAsync(KubeDnsService.Name, KubeDnsService.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var current = (endpoints?.Subsets ?? []).SelectMany(subset => subset.Addresses ?? []).Select(address => IPAddress.TryParse(address.Ip, out var ip) ? ip : null).OfType<IPAddress>();
        var addresses = change(current).Distinct().OrderBy(address => address.ToString(), StringComparer.Ordinal).ToList();
        var desiredEndpoints = KubeDnsService.Endpoints(addresses, _options.Port);
        if (endpoints is null)
        {
            await _client.CoreV1.CreateNamespacedEndpointsAsync(desiredEndpoints, KubeDnsService.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            desiredEndpoints.Metadata.ResourceVersion = endpoints.Metadata.ResourceVersion;
            await _client.CoreV1.ReplaceNamespacedEndpointsAsync(desiredEndpoints, KubeDnsService.Name, KubeDnsService.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var desiredSlice = KubeDnsService.EndpointSlice(addresses, _options.Port);
        var slice = await ReadOrNullAsync(() => _client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(KubeDnsService.Name, KubeDnsService.Namespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (slice is null)
        {
            await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(desiredSlice, KubeDnsService.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            desiredSlice.Metadata.ResourceVersion = slice.Metadata.ResourceVersion;
            await _client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(desiredSlice, KubeDnsService.Name, KubeDnsService.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

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
