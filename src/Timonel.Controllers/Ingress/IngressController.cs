using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Keeps the proxy's routes, clusters and certificates in line with the Ingresses of the <c>timonel</c> class (ingress-
/// nginx's role). Two kinds of keys share the queue: <see cref="RebuildKey"/> rebuilds the whole configuration (any
/// Ingress, Service, EndpointSlice or TLS Secret change queues it; the queue folds bursts into one rebuild) and hands
/// it to YARP, whose swap lets requests in flight finish on the old one; <c>namespace/name</c> syncs one Ingress's
/// status (the node addresses, for kubectl's ADDRESS) and its events.
/// </summary>
public sealed class IngressController : ControllerBase
{
    public const string Component = "timonel-ingress-controller";
    public const string RebuildKey = "";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Ingress> _ingresses;
    private readonly SharedInformer<V1Service> _services;
    private readonly SharedInformer<V1EndpointSlice> _slices;
    private readonly SharedInformer<V1Secret> _secrets;
    private readonly IngressServing _serving;
    private readonly IEventRecorder _recorder;
    private readonly IReadOnlyList<string> _addresses;
    private readonly TlsSecrets _tls = new();

    public IngressController(
        IKubernetes client,
        SharedInformer<V1Ingress> ingresses,
        SharedInformer<V1Service> services,
        SharedInformer<V1EndpointSlice> slices,
        SharedInformer<V1Secret> secrets,
        IngressServing serving,
        IReadOnlyList<string> addresses,
        IEventRecorder recorder,
        TimeProvider time,
        ILogger<IngressController> logger)
        : base(logger, time, [ingresses, services, slices, secrets])
    {
        _client = client;
        _ingresses = ingresses;
        _services = services;
        _slices = slices;
        _secrets = secrets;
        _serving = serving;
        _addresses = addresses;
        _recorder = recorder;
        slices.AddIndexer(ServiceIndex, slice => LabelOf(slice, ServiceNameLabel) is { } service ? [slice.Metadata.NamespaceProperty + "/" + service] : []);
        ingresses.AddHandlers(new InformerHandlers<V1Ingress>(
            i => OnIngress(i),
            (old, i) =>
            {
                if (old.Metadata.Generation != i.Metadata.Generation || !IngressClasses.IsOurs(old) || !IngressClasses.IsOurs(i))
                {
                    OnIngress(i);
                }
            },
            _ => Enqueue(RebuildKey)));
        services.AddHandlers(new InformerHandlers<V1Service>(service => OnService(null, service), OnService, service => OnService(null, service)));
        slices.AddHandlers(Rebuild<V1EndpointSlice>());
        secrets.AddHandlers(Rebuild<V1Secret>());
    }

    public const string ServiceNameLabel = "kubernetes.io/service-name";
    private const string ServiceIndex = "service";

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key == RebuildKey)
        {
            Rebuild();
            return SyncResult.Done;
        }

        var parts = key.Split('/', 2);
        if (_ingresses.Cache.Get(parts[0], parts[1]) is not { } ingress || !IngressClasses.IsOurs(ingress))
        {
            return SyncResult.Done;
        }

        _recorder.Event(ingress, "Normal", "Sync", "Scheduled for sync");
        foreach (var backend in IngressRules.BackendsOf(ingress))
        {
            if (IngressBackends.Resolve(backend, _services.Cache.Get(backend.Namespace, backend.Service), []).Problem is { } problem)
            {
                _recorder.Event(ingress, "Warning", "BackendNotFound", $"Error obtaining Endpoints for Service \"{backend.Namespace}/{backend.Service}\": {problem}");
            }
        }

        foreach (var tls in ingress.Spec?.Tls ?? [])
        {
            if (tls.SecretName is { Length: > 0 } name && _secrets.Cache.Get(ingress.Metadata.NamespaceProperty, name) is null)
            {
                _recorder.Event(ingress, "Warning", "SecretNotFound", $"Error getting SSL certificate \"{ingress.Metadata.NamespaceProperty}/{name}\": secret not found; the default certificate is served for {string.Join(", ", tls.Hosts ?? [])}");
            }
        }

        await WriteStatusAsync(ingress, cancellationToken);
        return SyncResult.Done;
    }

    /// <summary>Builds routes, clusters and certificates from the caches and swaps them in.</summary>
    public void Rebuild()
    {
        var ours = _ingresses.Cache.List().Where(IngressClasses.IsOurs).ToList();
        var rules = IngressRules.Collect(ours);
        var (routes, clusters) = IngressProxyConfig.Build(rules, backend => IngressBackends.Resolve(
            backend,
            _services.Cache.Get(backend.Namespace, backend.Service),
            _slices.Cache.ByIndex(ServiceIndex, backend.Namespace + "/" + backend.Service)).Destinations);
        _serving.Certificates.Replace(Certificates(ours));
        // Owners before routes: a new host's paths are hidden from the less specific rules as soon as they answer.
        _serving.HostOwners.Replace(rules);
        _serving.Routes.Update(routes, clusters);
        Logger.LogDebug("ingress configuration rebuilt: {Routes} routes, {Clusters} clusters", routes.Count, clusters.Count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Enqueue(RebuildKey);
        await base.ExecuteAsync(stoppingToken);
    }

    private Dictionary<string, X509Certificate2> Certificates(IReadOnlyList<V1Ingress> ingresses)
    {
        var byHost = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ingress in ingresses.OrderBy(i => i.Metadata.CreationTimestamp ?? DateTime.MaxValue))
        {
            var ns = ingress.Metadata.NamespaceProperty;
            foreach (var tls in ingress.Spec?.Tls ?? [])
            {
                if (tls.SecretName is not { Length: > 0 } name)
                {
                    continue;
                }

                named.Add(ns + "/" + name);
                if (_tls.Load(ns, name, _secrets.Cache.Get(ns, name)).Certificate is not { } certificate)
                {
                    continue;
                }

                foreach (var host in tls.Hosts ?? [])
                {
                    byHost.TryAdd(host.ToLowerInvariant(), certificate);
                }
            }
        }

        _tls.Retain(named);
        return byHost;
    }

    /// <summary>The Ingress Service's load-balancer addresses once it has some, else this server's own.</summary>
    private IReadOnlyList<string> StatusAddresses() =>
        IngressService.Addresses(_services.Cache.Get(IngressService.Namespace, IngressService.Name)) is { Count: > 0 } published ? published : _addresses;

    private async Task WriteStatusAsync(V1Ingress ingress, CancellationToken cancellationToken)
    {
        var addresses = StatusAddresses();
        var current = ingress.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip ?? i.Hostname).ToList() ?? [];
        if (current.SequenceEqual(addresses))
        {
            return;
        }

        var status = new V1Ingress
        {
            Status = new V1IngressStatus
            {
                LoadBalancer = new V1IngressLoadBalancerStatus
                {
                    Ingress = [.. addresses.Select(a => System.Net.IPAddress.TryParse(a, out _) ? new V1IngressLoadBalancerIngress { Ip = a } : new V1IngressLoadBalancerIngress { Hostname = a })],
                },
            },
        };
        try
        {
            await _client.NetworkingV1.PatchNamespacedIngressStatusAsync(
                new V1Patch(KubernetesJson.Serialize(status), V1Patch.PatchType.MergePatch), ingress.Metadata.Name, ingress.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: nothing to report.
        }
    }

    private void OnIngress(V1Ingress ingress)
    {
        Enqueue(RebuildKey);
        Enqueue(ingress.Metadata.NamespaceProperty + "/" + ingress.Metadata.Name);
    }

    /// <summary>
    /// Any Service may be a backend: rebuild. The Ingress Service coming, going or changing its addresses (no
    /// <paramref name="old"/>: it came or went) has every Ingress of ours report the addresses again.
    /// </summary>
    private void OnService(V1Service? old, V1Service service)
    {
        Enqueue(RebuildKey);
        if (service.Metadata.Name != IngressService.Name || service.Metadata.NamespaceProperty != IngressService.Namespace
            || (old is not null && IngressService.Addresses(old).SequenceEqual(IngressService.Addresses(service))))
        {
            return;
        }

        foreach (var ingress in _ingresses.Cache.List().Where(IngressClasses.IsOurs))
        {
            Enqueue(ObjectKey.Of(ingress));
        }
    }

    private static string? LabelOf(V1EndpointSlice slice, string label) =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(label, out var value) ? value : null;

    private InformerHandlers<T> Rebuild<T>() => new(_ => Enqueue(RebuildKey), (_, _) => Enqueue(RebuildKey), _ => Enqueue(RebuildKey));
}
