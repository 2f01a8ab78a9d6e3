using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Endpoints;

/// <summary>
/// Writes, for every Service with a selector, a core/v1 Endpoints of the same name listing the pods it selects, as
/// kube-controller-manager's endpoint controller does (pkg/controller/endpoint/endpoints_controller.go). Services
/// without a selector are left to whoever writes their endpoints. Keys are "namespace/name" of Services.
/// </summary>
public sealed class EndpointsController : ControllerBase
{
    /// <summary>Set on the Endpoints of a headless Service (v1.IsHeadlessService label, pkg/apis/core/v1).</summary>
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Service> _services;
    private readonly SharedInformer<V1Pod> _pods;
    private readonly SharedInformer<V1Endpoints> _endpoints;

    public EndpointsController(IKubernetes client, SharedInformer<V1Service> services, SharedInformer<V1Pod> pods, SharedInformer<V1Endpoints> endpoints, TimeProvider time, ILogger<EndpointsController> logger)
        : base(logger, time, [services, pods, endpoints], workers: 5)
    {
        _client = client;
        _services = services;
        _pods = pods;
        _endpoints = endpoints;
        services.AddHandlers(new(OnAdd: s => Enqueue(ServicePods.Key(s.Metadata)), OnUpdate: (_, s) => Enqueue(ServicePods.Key(s.Metadata)), OnDelete: s => Enqueue(ServicePods.Key(s.Metadata))));
        pods.AddHandlers(new(
            OnAdd: p => EnqueueServicesOf(null, p),
            OnUpdate: EnqueueServicesOf,
            OnDelete: p => EnqueueServicesOf(null, p)));
        // An Endpoints deleted or changed by someone else is put back (onEndpointsDelete).
        endpoints.AddHandlers(new(OnDelete: e => Enqueue(ServicePods.Key(e.Metadata))));
    }

    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (ns == "default" && name == "kubernetes")
        {
            return SyncResult.Done;
        }

        var service = _services.Cache.Get(ns, name);
        var current = _endpoints.Cache.Get(ns, name);
        if (service is null)
        {
            // The Service is gone: so are its endpoints (syncService deletes them; nothing owns them to collect them).
            if (current is not null)
            {
                await DeleteAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }

            return SyncResult.Done;
        }

        if (!ServicePods.IsManaged(service))
        {
            return SyncResult.Done;
        }

        var subsets = Subsets(service, _pods.Cache.List(ns));
        var labels = Labels(service);
        if (current is not null && Same(current.Subsets, subsets) && SameLabels(current.Metadata.Labels, labels))
        {
            return SyncResult.Done;
        }

        var desired = new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = current?.Metadata.Annotations,
                ResourceVersion = current?.Metadata.ResourceVersion,
            },
            Subsets = subsets,
        };
        try
        {
            if (current is null)
            {
                await _client.CoreV1.CreateNamespacedEndpointsAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _client.CoreV1.ReplaceNamespacedEndpointsAsync(desired, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Forbidden && current is null)
        {
            // The namespace is terminating: nothing may be created in it any more (upstream drops the key too).
        }

        return SyncResult.Done;
    }

    /// <summary>
    /// The subsets of syncService: each pod that should be in endpoints gives one address per Service port it
    /// resolves (a named port the pod lacks is left out for that pod); a headless Service without ports lists
    /// addresses alone. Addresses are then grouped by the set of ports they share (endpoints.RepackSubsets).
    /// </summary>
    public static List<V1EndpointSubset> Subsets(V1Service service, IEnumerable<V1Pod> pods)
    {
        var publishNotReady = service.Spec.PublishNotReadyAddresses == true;
        var ports = service.Spec.Ports ?? [];
        var byAddress = new Dictionary<string, (V1EndpointAddress Address, bool Ready, SortedSet<(string Name, int Port, string Protocol, string? AppProtocol)> Ports)>();
        foreach (var pod in pods.Where(p => ServicePods.Selects(service, p) && ServicePods.ShouldBeInEndpoints(p, publishNotReady)))
        {
            var address = new V1EndpointAddress
            {
                Ip = ServicePods.PodIp(pod),
                NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName,
                TargetRef = ServicePods.TargetRef(pod),
                // A pod's hostname names it within the Service its subdomain names (endpoints_controller.go podToEndpointAddressForService).
                Hostname = !string.IsNullOrEmpty(pod.Spec?.Hostname) && pod.Spec.Subdomain == service.Metadata.Name ? pod.Spec.Hostname : null,
            };
            var resolved = new SortedSet<(string, int, string, string?)>();
            foreach (var port in ports)
            {
                if (ServicePods.FindPort(pod, port) is { } number)
                {
                    resolved.Add((port.Name ?? "", number, port.Protocol ?? "TCP", port.AppProtocol));
                }
            }

            if (resolved.Count == 0 && !(ports.Count == 0 && service.Spec.ClusterIP == "None"))
            {
                continue;
            }

            byAddress[address.Ip + "/" + pod.Metadata.Uid] = (address, ServicePods.IsReady(pod) || publishNotReady, resolved);
        }

        return [.. byAddress.Values
            .GroupBy(a => string.Join(",", a.Ports))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new V1EndpointSubset
            {
                Addresses = NullIfEmpty(g.Where(a => a.Ready).Select(a => a.Address).OrderBy(a => a.Ip, StringComparer.Ordinal).ThenBy(a => a.TargetRef.Uid, StringComparer.Ordinal)),
                NotReadyAddresses = NullIfEmpty(g.Where(a => !a.Ready).Select(a => a.Address).OrderBy(a => a.Ip, StringComparer.Ordinal).ThenBy(a => a.TargetRef.Uid, StringComparer.Ordinal)),
                Ports = NullIfEmpty(g.First().Ports.Select(p => new Corev1EndpointPort { Name = p.Name.Length == 0 ? null : p.Name, Port = p.Port, Protocol = p.Protocol, AppProtocol = p.AppProtocol })),
            })];
    }

    /// <summary>The Service's labels, plus the headless label for a Service without a cluster IP (upstream syncService).</summary>
    public static Dictionary<string, string> Labels(V1Service service)
    {
        var labels = new Dictionary<string, string>(service.Metadata.Labels ?? new Dictionary<string, string>());
        labels.Remove(HeadlessLabel);
        if (service.Spec.ClusterIP == "None")
        {
            labels[HeadlessLabel] = "";
        }

        return labels;
    }

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }

    // The API server drops empty lists and may order nothing differently than sent: the JSON of each side compares.
    private static bool Same(IList<V1EndpointSubset>? current, List<V1EndpointSubset> desired) =>
        KubernetesJson.Serialize(current is { Count: > 0 } ? current : new List<V1EndpointSubset>()) == KubernetesJson.Serialize(desired);

    internal static bool SameLabels(IDictionary<string, string>? current, Dictionary<string, string> desired) =>
        (current?.Count ?? 0) == desired.Count && desired.All(l => current!.TryGetValue(l.Key, out var v) && v == l.Value);

    private async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedEndpointsAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound)
        {
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
