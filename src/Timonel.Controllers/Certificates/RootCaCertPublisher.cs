using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// Publishes the cluster CA as the "kube-root-ca.crt" ConfigMap (key ca.crt) in every active namespace and puts it
/// back when it is changed or deleted, as kube-controller-manager's root-ca-cert-publisher does
/// (pkg/controller/certificates/rootcacertpublisher/publisher.go). Keys are namespace names.
/// </summary>
public sealed class RootCaCertPublisher : ControllerBase
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DataKey = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    /// <summary>publisher.go's Description, word for word.</summary>
    public const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1ConfigMap> _published;
    private readonly string _rootCa;

    /// <param name="published">ConfigMaps named kube-root-ca.crt (a field selector keeps the cache to those).</param>
    /// <param name="rootCa">The CA bundle, PEM, as the file holds it.</param>
    public RootCaCertPublisher(IKubernetes client, SharedInformer<V1Namespace> namespaces, SharedInformer<V1ConfigMap> published, string rootCa, TimeProvider time, ILogger<RootCaCertPublisher> logger)
        : base(logger, time, [namespaces, published])
    {
        _client = client;
        _published = published;
        _rootCa = rootCa;
        // namespaceAdded queues every namespace, namespaceUpdated only active ones; configMapUpdated and
        // configMapDeleted queue the ConfigMap's namespace.
        namespaces.AddHandlers(new(
            OnAdd: ns => Enqueue(ns.Metadata.Name),
            OnUpdate: (_, ns) =>
            {
                if (ns.Status?.Phase == "Active")
                {
                    Enqueue(ns.Metadata.Name);
                }
            }));
        published.AddHandlers(new(OnUpdate: (_, configMap) => Enqueue(configMap.Metadata.NamespaceProperty), OnDelete: configMap => Enqueue(configMap.Metadata.NamespaceProperty)));
    }

    /// <summary>syncNamespace: create the ConfigMap if missing, restore its data and description if changed.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var current = _published.Cache.Get(key, ConfigMapName);
        if (current is null)
        {
            try
            {
                var created = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = ConfigMapName } };
                Publish(created);
                await _client.CoreV1.CreateNamespacedConfigMapAsync(created, key, cancellationToken: cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
            {
                // The namespace is gone or terminating (upstream does not retry those), or it exists and the cache lags.
            }

            return SyncResult.Done;
        }

        if (current.Data is { Count: 1 } data && data.TryGetValue(DataKey, out var published) && published == _rootCa
            && current.Metadata.Annotations?.TryGetValue(DescriptionAnnotation, out var description) == true && description.Length > 0)
        {
            return SyncResult.Done;
        }

        // The cache's object is shared with other readers: change a copy. A stale copy is refused with 409 and retried.
        var updated = CachedObject.Copy(current);
        Publish(updated);
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(updated, ConfigMapName, key, cancellationToken: cancellationToken);
        return SyncResult.Done;
    }

    private void Publish(V1ConfigMap configMap)
    {
        configMap.Data = new Dictionary<string, string> { [DataKey] = _rootCa };
        configMap.Metadata.Annotations ??= new Dictionary<string, string>();
        configMap.Metadata.Annotations[DescriptionAnnotation] = Description;
    }
}
