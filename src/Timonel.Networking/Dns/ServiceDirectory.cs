using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Networking.Dns;

/// <summary>
/// The Services and EndpointSlices the cluster DNS answers from, read from informers' caches through indexes (by
/// namespace, by owning Service, by cluster IP, by endpoint address), so a query never reaches the API server and
/// touches only the objects it answers with.
/// </summary>
public sealed class ServiceDirectory
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private const string ClusterIPIndex = "spec.clusterIPs";
    private const string SliceServiceIndex = "metadata.labels.service-name";
    private const string SliceAddressIndex = "endpoints.addresses";

    private static readonly IndexFunc<V1Service> _byClusterIP = service =>
        service.Spec?.ClusterIPs is { Count: > 0 } ips ? [.. ips.Where(ip => ip != "None")]
        : service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None" ? [ip] : [];

    private static readonly IndexFunc<V1EndpointSlice> _byService = slice =>
        slice.Metadata?.Labels?.TryGetValue(ServiceNameLabel, out var name) == true ? [$"{slice.Metadata.NamespaceProperty}/{name}"] : [];

    private static readonly IndexFunc<V1EndpointSlice> _byAddress = slice =>
        [.. (slice.Endpoints ?? []).SelectMany(endpoint => endpoint.Addresses ?? []).Distinct(StringComparer.Ordinal)];

    private readonly InformerCache<V1Service> _services;
    private readonly InformerCache<V1EndpointSlice> _slices;

    public ServiceDirectory(SharedInformer<V1Service> services, SharedInformer<V1EndpointSlice> slices)
    {
        services.AddIndexer(ClusterIPIndex, _byClusterIP);
        slices.AddIndexer(SliceServiceIndex, _byService);
        slices.AddIndexer(SliceAddressIndex, _byAddress);
        _services = services.Cache;
        _slices = slices.Cache;
    }

    public V1Service? Service(string ns, string name) => _services.Get(ns, name);

    public bool HasServicesIn(string ns) => _services.List(ns).Count > 0;

    public IReadOnlyList<V1EndpointSlice> SlicesOf(V1Service service) =>
        _slices.ByIndex(SliceServiceIndex, $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}");

    public IReadOnlyList<V1Service> ServicesWithClusterIP(string ip) => _services.ByIndex(ClusterIPIndex, ip);

    public IReadOnlyList<V1EndpointSlice> SlicesWithAddress(string ip) => _slices.ByIndex(SliceAddressIndex, ip);
}
