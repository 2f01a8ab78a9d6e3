using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Namespace;

/// <summary>
/// Finishes namespace deletion, as kube-controller-manager's namespace controller does: when a namespace is
/// Terminating, delete every namespaced resource in it (found through discovery, custom resources included),
/// wait until none is left, then remove the "kubernetes" finalizer through /finalize and delete it for good.
/// A client of the API server like any other controller.
/// </summary>
public sealed class NamespaceController : ControllerBase
{
    private const string KubernetesFinalizer = "kubernetes";

    /// <summary>kube-controller-manager's --concurrent-namespace-syncs default (ConcurrentNamespaceSyncs: 10).</summary>
    public const int Workers = 10;

    // namespace_controller.go requeues a namespace whose content is still going after Estimate/2+1 seconds; Timonel
    // makes no estimate (0), hence one second.
    private static readonly TimeSpan _contentRemainingDelay = TimeSpan.FromSeconds(1);

    // Lists of objects the API server accepted: free-form custom-resource fields nest far beyond System.Text.Json's
    // default of 64 levels (the server's limit is 512, Timonel.Api's NestingLimit), plus the list's own levels.
    private static readonly System.Text.Json.JsonDocumentOptions _jsonOptions = new() { MaxDepth = 1024 };

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Namespace> _namespaces;

    public NamespaceController(IKubernetes client, SharedInformer<V1Namespace> namespaces, TimeProvider time, ILogger<NamespaceController> logger)
        : base(logger, time, [namespaces], Workers)
    {
        _client = client;
        _namespaces = namespaces;
        namespaces.AddHandlers(new(OnAdd: EnqueueIfDeleting, OnUpdate: (_, ns) => EnqueueIfDeleting(ns)));
    }

    /// <summary>One pass over a namespace: requeued while content it had is still being deleted.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var name = key;
        if (_namespaces.Cache.Get(null, name) is not { Metadata.DeletionTimestamp: not null } cached)
        {
            return SyncResult.Done;
        }

        // The cache's object is shared: finalize a copy. A stale one is refused with 409, and the sync retried.
        var ns = CachedObject.Copy(cached);
        if (ns.Spec?.Finalizers?.Contains(KubernetesFinalizer) == true)
        {
            var remaining = 0;
            foreach (var collection in await NamespacedCollectionsAsync(name, cancellationToken))
            {
                remaining += await DeleteAllAsync(collection, cancellationToken);
            }

            if (remaining > 0)
            {
                return SyncResult.Requeue(_contentRemainingDelay);
            }

            ns.Spec.Finalizers = [.. ns.Spec.Finalizers.Where(f => f != KubernetesFinalizer)];
            ns = await _client.CoreV1.ReplaceNamespaceFinalizeAsync(ns, name, cancellationToken: cancellationToken);
        }

        if (ns.Spec?.Finalizers is { Count: > 0 })
        {
            // Another finalizer's owner still has work to do; its update will bring the namespace back here.
            return SyncResult.Done;
        }

        try
        {
            await _client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        return SyncResult.Done;
    }

    private void EnqueueIfDeleting(V1Namespace ns)
    {
        if (ns.Metadata.DeletionTimestamp is not null)
        {
            Enqueue(ns.Metadata.Name);
        }
    }

    /// <summary>Deletes a collection and returns how many objects are still there (those with finalizers linger).</summary>
    private async Task<int> DeleteAllAsync(string collectionPath, CancellationToken cancellationToken)
    {
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, collectionPath))
        {
            delete.Content = new StringContent("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}", Encoding.UTF8, "application/json");
            using var response = await SendAsync(delete, cancellationToken);
        }

        using var list = new HttpRequestMessage(HttpMethod.Get, collectionPath + "?limit=1");
        using var listed = await SendAsync(list, cancellationToken);
        var body = JsonNode.Parse(await listed.Content.ReadAsStringAsync(cancellationToken), documentOptions: _jsonOptions);
        return body?["items"]?.AsArray().Count ?? 0;
    }

    /// <summary>Every namespaced resource that can be listed and deleted as a collection, as URL paths under the namespace.</summary>
    private async Task<IReadOnlyList<string>> NamespacedCollectionsAsync(string ns, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        var groupVersions = new List<string> { "api/v1" };
        var groups = await GetJsonAsync("apis", cancellationToken);
        foreach (var group in groups?["groups"]?.AsArray() ?? [])
        {
            if (group?["preferredVersion"]?["groupVersion"]?.GetValue<string>() is { } groupVersion)
            {
                groupVersions.Add("apis/" + groupVersion);
            }
        }

        foreach (var groupVersion in groupVersions)
        {
            var resources = await GetJsonAsync(groupVersion, cancellationToken);
            foreach (var resource in resources?["resources"]?.AsArray() ?? [])
            {
                var plural = resource?["name"]?.GetValue<string>() ?? "";
                var verbs = resource?["verbs"]?.AsArray().Select(v => v?.GetValue<string>()).ToHashSet() ?? [];
                if (resource?["namespaced"]?.GetValue<bool>() == true && !plural.Contains('/', StringComparison.Ordinal) && verbs.Contains("deletecollection") && verbs.Contains("list"))
                {
                    paths.Add($"{groupVersion}/namespaces/{ns}/{plural}");
                }
            }
        }

        return paths;
    }

    private async Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken), documentOptions: _jsonOptions) : null;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = (Kubernetes)_client;
        request.RequestUri = new Uri(client.BaseUri, request.RequestUri!.OriginalString);
        return client.HttpClient.SendAsync(request, cancellationToken);
    }
}
