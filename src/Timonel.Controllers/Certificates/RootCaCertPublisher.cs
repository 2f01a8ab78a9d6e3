using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Controllers.Queue;

namespace Timonel.Controllers.Certificates;

/// <summary>
/// Publishes the cluster CA as the "kube-root-ca.crt" ConfigMap (key ca.crt) in every active namespace and puts it
/// back when it is changed or deleted, as kube-controller-manager's root-ca-cert-publisher does
/// (pkg/controller/certificates/rootcacertpublisher/publisher.go). Keys are namespace names.
/// </summary>
public sealed class RootCaCertPublisher : KeyedController
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DataKey = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    /// <summary>publisher.go's Description, word for word.</summary>
    public const string Description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

    private readonly IKubernetes _client;
    private readonly string _rootCa;

    /// <param name="rootCa">The CA bundle, PEM, as the file holds it.</param>
    public RootCaCertPublisher(IKubernetes client, string rootCa, ILogger<RootCaCertPublisher> logger)
        : base(logger)
    {
        _client = client;
        _rootCa = rootCa;
    }

    /// <summary>syncNamespace: create the ConfigMap if missing, restore its data and description if changed.</summary>
    public override async Task<bool> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var current = await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, key, cancellationToken: cancellationToken));
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
                // The namespace is gone or terminating (upstream does not retry those), or another writer came first.
            }

            return true;
        }

        if (current.Data is { Count: 1 } data && data.TryGetValue(DataKey, out var published) && published == _rootCa
            && current.Metadata.Annotations?.TryGetValue(DescriptionAnnotation, out var description) == true && description.Length > 0)
        {
            return true;
        }

        Publish(current);
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(current, ConfigMapName, key, cancellationToken: cancellationToken);
        return true;
    }

    protected override IEnumerable<Func<CancellationToken, IAsyncEnumerable<string>>> Watches() => [ActiveNamespacesAsync, ChangedConfigMapsAsync];

    private void Publish(V1ConfigMap configMap)
    {
        configMap.Data = new Dictionary<string, string> { [DataKey] = _rootCa };
        configMap.Metadata.Annotations ??= new Dictionary<string, string>();
        configMap.Metadata.Annotations[DescriptionAnnotation] = Description;
    }

    private async IAsyncEnumerable<string> ActiveNamespacesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, ns) in _client.CoreV1.WatchListNamespaceAsync(cancellationToken: cancellationToken))
        {
            // namespaceAdded queues every namespace; namespaceUpdated only active ones.
            if (type == WatchEventType.Added || (type == WatchEventType.Modified && ns.Status?.Phase == "Active"))
            {
                yield return ns.Metadata.Name;
            }
        }
    }

    private async IAsyncEnumerable<string> ChangedConfigMapsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, configMap) in _client.CoreV1.WatchListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.name={ConfigMapName}", cancellationToken: cancellationToken))
        {
            if (type is WatchEventType.Modified or WatchEventType.Deleted)
            {
                yield return configMap.Metadata.NamespaceProperty;
            }
        }
    }
}
