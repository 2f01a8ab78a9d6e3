using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;
using Timonel.Controllers.Endpoints;

namespace Timonel.Controllers.EndpointSlice;

/// <summary>
/// Writes, for every Service with a selector, discovery.k8s.io/v1 EndpointSlices listing the pods it selects, as
/// kube-controller-manager's endpointslice controller does (pkg/controller/endpointslice and
/// staging/src/k8s.io/endpointslice/reconciler.go): endpoints that resolve the same ports share slices of at most
/// <see cref="MaxEndpointsPerSlice"/>, existing slices are updated in place, and a Service without endpoints keeps
/// one empty slice. Keys are "namespace/name" of Services.
/// </summary>
public sealed class EndpointSliceController : ControllerBase
{
    /// <summary>discovery.LabelServiceName.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>discovery.LabelManagedBy.</summary>
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    /// <summary>The controller's name in <see cref="ManagedByLabel"/> (endpointslice controller's ControllerName).</summary>
    public const string ControllerName = "endpointslice-controller.k8s.io";

    /// <summary>kube-controller-manager's --max-endpoints-per-slice default.</summary>
    public const int MaxEndpointsPerSlice = 100;

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Service> _services;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1EndpointSlice> _slices;

    // Slices created but not yet seen by the informer, by Service key: a sync reading a cache without them would create
    // them again (upstream's EndpointSliceTracker stands guard the same way, pkg/controller/endpointslice).
    private readonly Dictionary<string, HashSet<string>> _created = [];
    private readonly Lock _createdLock = new();

    /// <param name="slices">EndpointSlices managed by this controller (a label selector on <see cref="ManagedByLabel"/>).</param>
    public EndpointSliceController(IKubernetes client, SharedInformer<V1Service> services, SharedInformer<V1Pod> pods, SharedInformer<V1EndpointSlice> slices, TimeProvider time, ILogger<EndpointSliceController> logger)
        : base(logger, time, [services, pods, slices], workers: 5)
    {
        _client = client;
        _services = services;
        _pods = pods;
        _slices = slices;
        services.AddHandlers(new(OnAdd: s => Enqueue(ServicePods.Key(s.Metadata)), OnUpdate: (_, s) => Enqueue(ServicePods.Key(s.Metadata)), OnDelete: s => Enqueue(ServicePods.Key(s.Metadata))));
        pods.AddHandlers(new(OnAdd: p => EnqueueServicesOf(null, p), OnUpdate: EnqueueServicesOf, OnDelete: p => EnqueueServicesOf(null, p)));
        slices.AddHandlers(new(OnAdd: EnqueueServiceOf, OnUpdate: (_, s) => EnqueueServiceOf(s), OnDelete: EnqueueServiceOf));
    }

    public static string LabelSelector => $"{ManagedByLabel}={ControllerName}";

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        var existing = _slices.Cache.List(ns)
            .Where(s => ServiceOf(s) == name)
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        if (!CacheHoldsCreated(key, existing))
        {
            return SyncResult.Requeue(TimeSpan.FromMilliseconds(100));
        }

        var service = _services.Cache.Get(ns, name);
        if (service is null)
        {
            // Upstream leaves this to the garbage collector (the slices are owned by the Service); deleting them here
            // does not depend on one running.
            foreach (var slice in existing)
            {
                await DeleteAsync(slice, cancellationToken).ConfigureAwait(false);
            }

            return SyncResult.Done;
        }

        if (!ServicePods.IsManaged(service))
        {
            return SyncResult.Done;
        }

        var labels = Labels(service);
        var unused = new List<V1EndpointSlice>(existing);
        foreach (var (ports, endpoints) in Desired(service, _pods.Cache.List(ns)))
        {
            var portsJson = KubernetesJson.Serialize(ports);
            // Slices with these ports first, then any left over (the empty placeholder becomes the first real slice).
            var reusable = unused.OrderBy(s => KubernetesJson.Serialize(s.Ports ?? []) == portsJson ? 0 : 1).ToList();

            var chunks = endpoints.Chunk(MaxEndpointsPerSlice).Select(c => c.ToList()).DefaultIfEmpty([]);
            foreach (var (chunk, index) in chunks.Select((c, i) => (c, i)))
            {
                var current = index < reusable.Count ? reusable[index] : null;
                if (current is not null)
                {
                    unused.Remove(current);
                }

                await WriteAsync(key, service, current, labels, ports, chunk, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var slice in unused)
        {
            await DeleteAsync(slice, cancellationToken).ConfigureAwait(false);
        }

        return SyncResult.Done;
    }

    /// <summary>
    /// The endpoints (podToEndpoint, staging/src/k8s.io/endpointslice/utils.go) grouped by the ports they resolve
    /// (getEndpointPorts): terminating pods stay, with ready false; IPv4 only. No endpoints at all gives one empty
    /// group, the placeholder slice upstream keeps.
    /// </summary>
    public static List<(List<Discoveryv1EndpointPort> Ports, List<V1Endpoint> Endpoints)> Desired(V1Service service, IEnumerable<V1Pod> pods)
    {
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var groups = new Dictionary<string, (List<Discoveryv1EndpointPort> Ports, List<V1Endpoint> Endpoints)>();
        foreach (var pod in pods.Where(p => ServicePods.Selects(service, p) && ServicePods.ShouldBeInEndpoints(p, includeTerminating: true)))
        {
            var ip = ServicePods.PodIp(pod);
            if (ip is null || ip.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            var ports = (service.Spec.Ports ?? [])
                .Select(p => ServicePods.FindPort(pod, p) is { } number ? new Discoveryv1EndpointPort { Name = p.Name ?? "", Port = number, Protocol = p.Protocol ?? "TCP", AppProtocol = p.AppProtocol } : null)
                .OfType<Discoveryv1EndpointPort>()
                .ToList();
            var serving = ServicePods.IsReady(pod);
            var terminating = pod.Metadata.DeletionTimestamp is not null;
            var endpoint = new V1Endpoint
            {
                Addresses = [ip],
                Conditions = new V1EndpointConditions { Ready = publishNotReady || (serving && !terminating), Serving = serving, Terminating = terminating },
                NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
                TargetRef = ServicePods.TargetRef(pod),
                Hostname = !string.IsNullOrEmpty(pod.Spec?.Hostname) && pod.Spec.Subdomain == service.Metadata.Name ? pod.Spec.Hostname : null,
            };
            var portsKey = KubernetesJson.Serialize(ports);
            if (!groups.TryGetValue(portsKey, out var group))
            {
                groups[portsKey] = group = (ports, []);
            }

            group.Endpoints.Add(endpoint);
        }

        if (groups.Count == 0)
        {
            return [([], [])];
        }

        return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Value.Ports, g.Value.Endpoints.OrderBy(e => e.Addresses[0], StringComparer.Ordinal).ThenBy(e => e.TargetRef.Uid, StringComparer.Ordinal).ToList()))];
    }

    /// <summary>
    /// setEndpointSliceLabels: the Service's labels, the headless label for a Service without a cluster IP, and the
    /// two that tie the slice to its Service and to this controller.
    /// </summary>
    public static Dictionary<string, string> Labels(V1Service service)
    {
        var labels = EndpointsController.Labels(service);
        labels[ServiceNameLabel] = service.Metadata.Name;
        labels[ManagedByLabel] = ControllerName;
        return labels;
    }

    private static string? ServiceOf(V1EndpointSlice slice) =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var service) ? service : null;

    private bool CacheHoldsCreated(string key, List<V1EndpointSlice> cached)
    {
        lock (_createdLock)
        {
            if (!_created.TryGetValue(key, out var names))
            {
                return true;
            }

            names.ExceptWith(cached.Select(s => s.Metadata.Name));
            if (names.Count == 0)
            {
                _created.Remove(key);
            }

            return names.Count == 0;
        }
    }

    private async Task WriteAsync(string key, V1Service service, V1EndpointSlice? current, Dictionary<string, string> labels, List<Discoveryv1EndpointPort> ports, List<V1Endpoint> endpoints, CancellationToken cancellationToken)
    {
        if (current is not null
            && KubernetesJson.Serialize(current.Endpoints ?? []) == KubernetesJson.Serialize(endpoints)
            && KubernetesJson.Serialize(current.Ports ?? []) == KubernetesJson.Serialize(ports)
            && EndpointsController.SameLabels(current.Metadata.Labels, labels))
        {
            return;
        }

        var ns = service.Metadata.NamespaceProperty;
        var slice = new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                Name = current?.Metadata.Name,
                GenerateName = current is null ? $"{service.Metadata.Name}-" : current.Metadata.GenerateName,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = current?.Metadata.Annotations,
                ResourceVersion = current?.Metadata.ResourceVersion,
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = service.Metadata.Name, Uid = service.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
                ],
            },
            AddressType = "IPv4",
            Endpoints = endpoints,
            Ports = ports,
        };
        try
        {
            if (current is null)
            {
                var created = await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                lock (_createdLock)
                {
                    if (created.Metadata?.Name is { } createdName)
                    {
                        (_created.TryGetValue(key, out var names) ? names : _created[key] = []).Add(createdName);
                    }
                }
            }
            else
            {
                await _client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, current.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden && current is null)
        {
            // The namespace is terminating: nothing may be created in it any more.
        }
    }

    private async Task DeleteAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(slice.Metadata.Name, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound)
        {
        }
    }

    private void EnqueueServiceOf(V1EndpointSlice slice)
    {
        if (ServiceOf(slice) is { } service)
        {
            Enqueue($"{slice.Metadata.NamespaceProperty}/{service}");
        }
    }

    private void EnqueueServicesOf(V1Pod? oldPod, V1Pod pod)
    {
        foreach (var key in ServicePods.ServicesOf(_services.Cache.List(pod.Metadata.NamespaceProperty), oldPod, pod))
        {
            Enqueue(key);
        }
    }
}
