using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.ServiceAccount;

/// <summary>
/// Keeps a "default" ServiceAccount in every active namespace, creating it again when it is deleted, as
/// kube-controller-manager's serviceaccount controller does (pkg/controller/serviceaccount/serviceaccounts_controller.go,
/// DefaultServiceAccountsControllerOptions). Keys are namespace names.
/// </summary>
public sealed class ServiceAccountsController : ControllerBase
{
    public const string DefaultName = "default";
    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Namespace> _namespaces;
    private readonly SharedInformer<V1ServiceAccount> _defaultAccounts;

    /// <param name="defaultAccounts">ServiceAccounts named "default" (a field selector keeps the cache to those).</param>
    public ServiceAccountsController(IKubernetes client, SharedInformer<V1Namespace> namespaces, SharedInformer<V1ServiceAccount> defaultAccounts, TimeProvider time, ILogger<ServiceAccountsController> logger)
        : base(logger, time, [namespaces, defaultAccounts])
    {
        _client = client;
        _namespaces = namespaces;
        _defaultAccounts = defaultAccounts;
        // namespaceAdded / namespaceUpdated queue the namespace; serviceAccountDeleted queues the account's namespace.
        namespaces.AddHandlers(new(OnAdd: ns => Enqueue(ns.Metadata.Name), OnUpdate: (_, ns) => Enqueue(ns.Metadata.Name)));
        defaultAccounts.AddHandlers(new(OnDelete: account => Enqueue(account.Metadata.NamespaceProperty)));
    }

    /// <summary>syncNamespace: nothing for a namespace that is gone or not Active; otherwise create what is missing.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (_namespaces.Cache.Get(null, key) is not { Status.Phase: "Active" } || _defaultAccounts.Cache.Get(key, DefaultName) is not null)
        {
            return SyncResult.Done;
        }

        try
        {
            await _client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = DefaultName } }, key, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
        {
            // Created meanwhile (the cache lags), or the namespace began terminating: either way there is nothing to add.
        }

        return SyncResult.Done;
    }
}
