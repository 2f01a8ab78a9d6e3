using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Controllers.Queue;

namespace Timonel.Controllers.ServiceAccount;

/// <summary>
/// Keeps a "default" ServiceAccount in every active namespace, creating it again when it is deleted, as
/// kube-controller-manager's serviceaccount controller does (pkg/controller/serviceaccount/serviceaccounts_controller.go,
/// DefaultServiceAccountsControllerOptions). Keys are namespace names.
/// </summary>
public sealed class ServiceAccountsController : KeyedController
{
    public const string DefaultName = "default";
    private readonly IKubernetes _client;

    public ServiceAccountsController(IKubernetes client, ILogger<ServiceAccountsController> logger)
        : base(logger) => _client = client;

    /// <summary>syncNamespace: nothing for a namespace that is gone or not Active; otherwise create what is missing.</summary>
    public override async Task<bool> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (await ReadOrNullAsync(() => _client.CoreV1.ReadNamespaceAsync(key, cancellationToken: cancellationToken)) is not { Status.Phase: "Active" }
            || await ReadOrNullAsync(() => _client.CoreV1.ReadNamespacedServiceAccountAsync(DefaultName, key, cancellationToken: cancellationToken)) is not null)
        {
            return true;
        }

        try
        {
            await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = DefaultName } }, key, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
        {
            // Created meanwhile, or the namespace began terminating: either way there is nothing to add.
        }

        return true;
    }

    protected override IEnumerable<Func<CancellationToken, IAsyncEnumerable<string>>> Watches() => [NamespacesAsync, DeletedDefaultsAsync];

    private async IAsyncEnumerable<string> NamespacesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, ns) in _client.CoreV1.WatchListNamespaceAsync(cancellationToken: cancellationToken))
        {
            if (type is WatchEventType.Added or WatchEventType.Modified)
            {
                yield return ns.Metadata.Name;
            }
        }
    }

    private async IAsyncEnumerable<string> DeletedDefaultsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, account) in _client.CoreV1.WatchListServiceAccountForAllNamespacesAsync(fieldSelector: $"metadata.name={DefaultName}", cancellationToken: cancellationToken))
        {
            if (type == WatchEventType.Deleted)
            {
                yield return account.Metadata.NamespaceProperty;
            }
        }
    }
}
