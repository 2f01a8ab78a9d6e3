using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Api.Quantities;
using Timonel.Api.Quota;
using Timonel.Client.Informers;

namespace Timonel.Controllers.ResourceQuota;

/// <summary>
/// Keeps each ResourceQuota's status true, as kube-controller-manager's resource quota controller does
/// (pkg/controller/resourcequota/resource_quota_controller.go): status.hard is spec.hard, status.used the usage of
/// every object in the namespace that the quota limits, counted by the same evaluators admission charges with
/// (<see cref="QuotaEvaluator"/>). A quota is recounted when its spec changes, when an object it counts is deleted
/// (or a pod ends, which frees its compute), and every five minutes (upstream's full resync,
/// --resource-quota-sync-period). Objects counted by count/&lt;resource&gt;.&lt;group&gt; outside the core kinds are
/// caught by the resync only: upstream watches every such kind through discovery. Keys are "namespace/name".
/// </summary>
public sealed class ResourceQuotaController : ControllerBase
{
    /// <summary>kube-controller-manager's --resource-quota-sync-period default.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromMinutes(5);

    private readonly Kubernetes _client;
    private readonly SharedInformer<V1ResourceQuota> _quotas;
    private readonly ConcurrentDictionary<string, string?> _groupVersions = new(StringComparer.Ordinal);

    public ResourceQuotaController(
        Kubernetes client,
        SharedInformer<V1ResourceQuota> quotas,
        SharedInformer<V1Pod> pods,
        SharedInformer<V1Service> services,
        IReadOnlyList<SharedInformer<PartialObjectMetadata>> replenishing,
        TimeProvider time,
        ILogger<ResourceQuotaController> logger)
        : base(logger, time, [quotas, pods, services, .. replenishing])
    {
        _client = client;
        _quotas = quotas;
        quotas.AddHandlers(new(
            OnAdd: quota => Enqueue(ObjectKey.Of(quota)),
            OnUpdate: (_, quota) =>
            {
                if (NeedsSync(quota))
                {
                    Enqueue(ObjectKey.Of(quota));
                }
            }));
        pods.AddHandlers(new(
            OnUpdate: (old, pod) =>
            {
                // A pod that reaches a terminal phase stops using compute (replenishment's pod update check).
                if (!IsTerminal(old) && IsTerminal(pod))
                {
                    EnqueueNamespace(pod.Metadata.NamespaceProperty);
                }
            },
            OnDelete: pod => EnqueueNamespace(pod.Metadata.NamespaceProperty)));
        services.AddHandlers(new(
            OnUpdate: (old, service) =>
            {
                if (old.Spec?.Type != service.Spec?.Type || old.Spec?.Ports?.Count != service.Spec?.Ports?.Count)
                {
                    EnqueueNamespace(service.Metadata.NamespaceProperty);
                }
            },
            OnDelete: service => EnqueueNamespace(service.Metadata.NamespaceProperty)));
        foreach (var informer in replenishing)
        {
            informer.AddHandlers(new(OnDelete: obj => EnqueueNamespace(obj.Metadata.NamespaceProperty)));
        }
    }

    /// <summary>syncResourceQuota: recounts the quota and writes its status when it changed; due again after the resync period.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKey.Split(key);
        if (_quotas.Cache.Get(ns, name) is not { } quota)
        {
            return SyncResult.Done;
        }

        var quotaJson = JsonNode.Parse(KubernetesJson.Serialize(quota))!.AsObject();
        var hard = ResourceList.FromJson(quotaJson["spec"]?["hard"] as JsonObject);
        var statusHard = ResourceList.FromJson(quotaJson["status"]?["hard"] as JsonObject);
        var statusUsed = ResourceList.FromJson(quotaJson["status"]?["used"] as JsonObject);
        var used = await CountAsync(ns, quotaJson, hard, cancellationToken);
        if (!ResourceList.Equal(hard, statusHard) || !ResourceList.Equal(used, statusUsed))
        {
            var updated = new V1ResourceQuota
            {
                ApiVersion = "v1",
                Kind = "ResourceQuota",
                Metadata = quota.Metadata,
                Spec = quota.Spec,
                Status = new V1ResourceQuotaStatus { Hard = ToQuantities(hard), Used = ToQuantities(used) },
            };
            await _client.CoreV1.ReplaceNamespacedResourceQuotaStatusAsync(updated, name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return SyncResult.Requeue(ResyncPeriod);
    }

    /// <summary>
    /// CalculateUsage: for each kind the quota limits, the usage of the namespace's objects that match its scopes,
    /// masked to the limited names; a limited name nothing uses is zero.
    /// </summary>
    private async Task<Dictionary<string, Quantity>> CountAsync(string ns, JsonObject quota, IReadOnlyDictionary<string, Quantity> hard, CancellationToken cancellationToken)
    {
        // Matching and scopes read status.hard, as admission does; here the spec is what the status is to become.
        quota["status"] = new JsonObject { ["hard"] = ResourceList.ToJson(hard) };
        var now = Time.GetUtcNow();
        var total = ResourceList.Empty();
        foreach (var kind in QuotaEvaluator.KindsFor(hard.Keys))
        {
            var names = QuotaEvaluator.MatchingResources(kind, hard.Keys);
            foreach (var item in await ListAsync(kind, ns, cancellationToken))
            {
                if (QuotaEvaluator.Matches(quota, kind, item))
                {
                    total = ResourceList.Add(total, ResourceList.Mask(QuotaEvaluator.Usage(kind, item, now), names));
                }
            }
        }

        foreach (var name in hard.Keys)
        {
            total.TryAdd(name, Quantity.Zero);
        }

        return ResourceList.Mask(total, hard.Keys);
    }

    /// <summary>The namespace's objects of a kind as JSON, through the REST API (any kind discovery knows).</summary>
    private async Task<IReadOnlyList<JsonObject>> ListAsync(QuotaKind kind, string ns, CancellationToken cancellationToken)
    {
        var groupVersion = kind.Group.Length == 0 ? "v1" : await PreferredVersionAsync(kind.Group, cancellationToken).ConfigureAwait(false);
        if (groupVersion is null)
        {
            return [];
        }

        var prefix = kind.Group.Length == 0 ? "api/" : "apis/";
        var body = await GetAsync($"{prefix}{groupVersion}/namespaces/{ns}/{kind.Resource}", cancellationToken).ConfigureAwait(false);
        return (body?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    private async Task<string?> PreferredVersionAsync(string group, CancellationToken cancellationToken)
    {
        if (_groupVersions.TryGetValue(group, out var known) && known is not null)
        {
            return known;
        }

        var body = await GetAsync("apis/" + group, cancellationToken).ConfigureAwait(false);
        var version = body?["preferredVersion"]?["groupVersion"]?.ToString();
        _groupVersions[group] = version;
        return version;
    }

    private async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, path));
        using var response = await _client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A kind the cluster does not serve uses nothing.
            return null;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        }

        return JsonNode.Parse(text);
    }

    private void EnqueueNamespace(string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return;
        }

        foreach (var quota in _quotas.Cache.List(ns))
        {
            Enqueue(ObjectKey.Of(quota));
        }
    }

    /// <summary>Whether a quota's status lags its spec: hard differs, or a limited name has no usage yet.</summary>
    private static bool NeedsSync(V1ResourceQuota quota)
    {
        var hard = quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var statusHard = quota.Status?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var used = quota.Status?.Used ?? new Dictionary<string, ResourceQuantity>();
        return hard.Count != statusHard.Count
            || hard.Any(h => !statusHard.TryGetValue(h.Key, out var s) || s.ToString() != h.Value.ToString())
            || hard.Keys.Any(k => !used.ContainsKey(k));
    }

    private static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static Dictionary<string, ResourceQuantity> ToQuantities(IReadOnlyDictionary<string, Quantity> list) =>
        list.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value.ToString()), StringComparer.Ordinal);
}
