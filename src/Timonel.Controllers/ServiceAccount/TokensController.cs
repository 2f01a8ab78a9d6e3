using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client.Informers;

namespace Timonel.Controllers.ServiceAccount;

/// <summary>
/// Fills Secrets of type kubernetes.io/service-account-token that users create for a ServiceAccount with a legacy
/// token, the cluster CA and the namespace, and deletes those whose account is gone, as kube-controller-manager's
/// tokens controller (pkg/controller/serviceaccount/tokens_controller.go). Since 1.24 it never creates such a
/// Secret itself. Keys are the Secrets' "namespace/name".
/// </summary>
public sealed class TokensController : ControllerBase
{
    public const string SecretType = "kubernetes.io/service-account-token";

    // core/v1 types.go: the annotations and data keys of a service-account-token Secret.
    public const string NameAnnotation = "kubernetes.io/service-account.name";
    public const string UidAnnotation = "kubernetes.io/service-account.uid";
    public const string TokenKey = "token";
    public const string RootCaKey = "ca.crt";
    public const string NamespaceKey = "namespace";

    /// <summary>A Secret changed between the cache and the live read: look again once the cache has caught up.</summary>
    private static readonly TimeSpan _staleCacheRetry = TimeSpan.FromSeconds(1);

    private readonly IKubernetes _client;
    private readonly SharedInformer<V1Secret> _secrets;
    private readonly SharedInformer<V1ServiceAccount> _accounts;
    private readonly LegacyTokenIssuer _issue;
    private readonly byte[] _rootCa;

    /// <param name="secrets">Secrets of type kubernetes.io/service-account-token (a field selector keeps the cache to those).</param>
    /// <param name="rootCa">The cluster CA bundle, PEM, written to each Secret's ca.crt.</param>
    public TokensController(IKubernetes client, SharedInformer<V1Secret> secrets, SharedInformer<V1ServiceAccount> accounts, LegacyTokenIssuer issue, string rootCa, TimeProvider time, ILogger<TokensController> logger)
        : base(logger, time, [secrets, accounts])
    {
        _client = client;
        _secrets = secrets;
        _accounts = accounts;
        _issue = issue;
        _rootCa = Encoding.UTF8.GetBytes(rootCa);
        // queueSecretSync on add and update; a deleted account queues the Secrets that name it (upstream's
        // queueServiceAccountSync + deleteTokens), whose sync then finds the account gone and deletes them.
        secrets.AddHandlers(new(OnAdd: secret => EnqueueSecret(secret), OnUpdate: (_, secret) => EnqueueSecret(secret)));
        accounts.AddHandlers(new(OnDelete: AccountDeleted));
    }

    /// <summary>syncSecret: delete the Secret when its account is gone, otherwise fill in what it lacks.</summary>
    public override async Task<SyncResult> SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        if (_secrets.Cache.Get(ns, name) is not { Type: SecretType } secret
            || Annotation(secret, NameAnnotation) is not { Length: > 0 } accountName)
        {
            return SyncResult.Done;
        }

        var account = await FindAccountAsync(ns, accountName, Annotation(secret, UidAnnotation), cancellationToken);
        if (account is null)
        {
            await DeleteSecretAsync(secret, cancellationToken);
            return SyncResult.Done;
        }

        return await FillAsync(account, secret, cancellationToken);
    }

    private void EnqueueSecret(V1Secret secret)
    {
        if (secret.Type == SecretType)
        {
            Enqueue($"{secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}");
        }
    }

    /// <summary>serviceaccount.IsServiceAccountToken: the Secrets naming this account (and its UID, when they carry one).</summary>
    private void AccountDeleted(V1ServiceAccount account)
    {
        foreach (var secret in _secrets.Cache.List(account.Metadata.NamespaceProperty))
        {
            if (Annotation(secret, NameAnnotation) == account.Metadata.Name
                && (Annotation(secret, UidAnnotation) is not { Length: > 0 } uid || uid == account.Metadata.Uid))
            {
                EnqueueSecret(secret);
            }
        }
    }

    /// <summary>
    /// getServiceAccount with fetchOnCacheMiss: the cached account if its UID matches, else a live read (the cache may
    /// not have seen a just-created account yet); null when there is none with that UID.
    /// </summary>
    private async Task<V1ServiceAccount?> FindAccountAsync(string ns, string name, string? uid, CancellationToken cancellationToken)
    {
        if (_accounts.Cache.Get(ns, name) is { } cached && (string.IsNullOrEmpty(uid) || uid == cached.Metadata.Uid))
        {
            return cached;
        }

        try
        {
            var live = await _client.CoreV1.ReadNamespacedServiceAccountAsync(name, ns, cancellationToken: cancellationToken);
            return string.IsNullOrEmpty(uid) || uid == live.Metadata.Uid ? live : null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>deleteToken: with the Secret's UID as precondition, so a re-created Secret of that name survives.</summary>
    private async Task DeleteSecretAsync(V1Secret secret, CancellationToken cancellationToken)
    {
        try
        {
            var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = secret.Metadata.Uid } };
            await _client.CoreV1.DeleteNamespacedSecretAsync(secret.Metadata.Name, secret.Metadata.NamespaceProperty, options, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Gone already, or the precondition failed (another Secret now has the name): nothing to delete.
        }
    }

    /// <summary>
    /// generateTokenIfNeeded: decide on the cached copy, change a live copy (never the cache's) of the same
    /// resourceVersion, and write it back.
    /// </summary>
    private async Task<SyncResult> FillAsync(V1ServiceAccount account, V1Secret cached, CancellationToken cancellationToken)
    {
        if (!NeedsUpdate(cached))
        {
            return SyncResult.Done;
        }

        V1Secret live;
        try
        {
            live = await _client.CoreV1.ReadNamespacedSecretAsync(cached.Metadata.Name, cached.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return SyncResult.Done;
        }

        if (live.Metadata.ResourceVersion != cached.Metadata.ResourceVersion)
        {
            return SyncResult.Requeue(_staleCacheRetry);
        }

        if (!NeedsUpdate(live))
        {
            return SyncResult.Done;
        }

        var data = live.Data = live.Data ?? new Dictionary<string, byte[]>();
        if (NeedsCa(live))
        {
            data[RootCaKey] = _rootCa;
        }

        if (Data(live, NamespaceKey) is not { Length: > 0 })
        {
            data[NamespaceKey] = Encoding.UTF8.GetBytes(live.Metadata.NamespaceProperty);
        }

        if (Data(live, TokenKey) is not { Length: > 0 })
        {
            data[TokenKey] = Encoding.UTF8.GetBytes(_issue(account.Metadata.NamespaceProperty, account.Metadata.Name, account.Metadata.Uid, live.Metadata.Name));
        }

        var annotations = live.Metadata.Annotations = live.Metadata.Annotations ?? new Dictionary<string, string>();
        annotations[NameAnnotation] = account.Metadata.Name;
        annotations[UidAnnotation] = account.Metadata.Uid;
        try
        {
            await _client.CoreV1.ReplaceNamespacedSecretAsync(live, live.Metadata.Name, live.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Changed meanwhile (its update will queue it again) or deleted (nothing to fill).
        }

        return SyncResult.Done;
    }

    /// <summary>secretUpdateNeeded: the CA differs, or the namespace or the token is missing.</summary>
    private bool NeedsUpdate(V1Secret secret) =>
        NeedsCa(secret)
        || Data(secret, NamespaceKey) is not { Length: > 0 }
        || Data(secret, TokenKey) is not { Length: > 0 };

    private bool NeedsCa(V1Secret secret) =>
        _rootCa.Length > 0 && !(Data(secret, RootCaKey) ?? []).AsSpan().SequenceEqual(_rootCa);

    private static string? Annotation(V1Secret secret, string key) =>
        secret.Metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    private static byte[]? Data(V1Secret secret, string key) =>
        secret.Data is { } data && data.TryGetValue(key, out var value) ? value : null;
}
