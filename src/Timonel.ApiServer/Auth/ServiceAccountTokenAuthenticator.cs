using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Timonel.ApiServer.Auth;

/// <summary>
/// Bearer tokens this server signed for a service account: user system:serviceaccount:NS:NAME in groups
/// system:serviceaccounts and system:serviceaccounts:NS, with the account's UID. As upstream's validator
/// (pkg/serviceaccount/claims.go Validate), the account must still exist with the UID the token was issued for, and
/// so must the pod or secret the token is bound to: deleting one of them, or re-creating it under the same name,
/// revokes the token. A pod-bound token's user carries the pod (and its node) in extra, as upstream's
/// ServiceAccountInfo.UserInfo sets it.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokens tokens, ITokenObjectLookup objects, TimeProvider time) : IAuthenticator, ITokenAuthenticator
{
    // pkg/serviceaccount (apiserver/pkg/authentication/serviceaccount/util.go): the extra keys.
    public const string PodNameKey = "authentication.kubernetes.io/pod-name";
    public const string PodUidKey = "authentication.kubernetes.io/pod-uid";
    public const string NodeNameKey = "authentication.kubernetes.io/node-name";
    public const string NodeUidKey = "authentication.kubernetes.io/node-uid";
    public const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    /// <summary>
    /// claims.go: a token bound to an object whose deletion began more than this long ago is invalid (the pod's
    /// containers may still be stopping, and use it, meanwhile).
    /// </summary>
    private static readonly TimeSpan _deletedObjectGrace = TimeSpan.FromSeconds(60);

    public async Task<UserInfo?> AuthenticateAsync(HttpContext context) =>
        StaticTokenAuthenticator.BearerToken(context.Request) is { } token
            ? await AuthenticateTokenAsync(token, context.RequestAborted).ConfigureAwait(false)
            : null;

    public async Task<UserInfo?> AuthenticateTokenAsync(string token, CancellationToken cancellationToken)
    {
        var read = tokens.ReadClaims(token);
        if (read is { LegacySecret: { } secretName })
        {
            return await IsLegacyCurrentAsync(token, read, secretName, cancellationToken).ConfigureAwait(false)
                // legacy.go returns no credential id: only a TokenRequest token's jti becomes one.
                ? UserInfo.Authenticated(read.UserName, ["system:serviceaccounts", $"system:serviceaccounts:{read.Namespace}"], read.Uid)
                : null;
        }

        if (read is not { } claims
            || !await IsCurrentAsync("serviceaccounts", claims.Namespace, new TokenBinding(claims.Name, claims.Uid), cancellationToken).ConfigureAwait(false)
            || (claims.Secret is { } secret && !await IsCurrentAsync("secrets", claims.Namespace, secret, cancellationToken).ConfigureAwait(false))
            || (claims.Pod is { } pod && !await IsCurrentAsync("pods", claims.Namespace, pod, cancellationToken).ConfigureAwait(false))
            // A node is checked only when the token is bound to it; a pod-bound token names its node for information.
            || (claims.Pod is null && claims.Node is { } node && !await IsCurrentAsync("nodes", null, node, cancellationToken).ConfigureAwait(false)))
        {
            return null;
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>();
        if (claims.Pod is { } boundPod)
        {
            extra[PodNameKey] = [boundPod.Name];
            extra[PodUidKey] = [boundPod.Uid];
        }

        if (claims.Id.Length > 0)
        {
            // apiserver/pkg/authentication/serviceaccount CredentialIDForJTI.
            extra[CredentialIdKey] = ["JTI=" + claims.Id];
        }

        if (claims.Node is { } boundNode)
        {
            extra[NodeNameKey] = [boundNode.Name];
            if (boundNode.Uid.Length > 0)
            {
                extra[NodeUidKey] = [boundNode.Uid];
            }
        }

        return UserInfo.Authenticated(claims.UserName, ["system:serviceaccounts", $"system:serviceaccounts:{claims.Namespace}"], claims.Uid) with { Extra = extra };
    }

    /// <summary>
    /// legacy.go legacyValidator.Validate's lookups: the Secret exists, is not being deleted nor marked invalid, and
    /// still holds this very token; the account exists, is not being deleted and has the UID the token names. No grace period here.
    /// </summary>
    private async Task<bool> IsLegacyCurrentAsync(string token, ServiceAccountClaims claims, string secretName, CancellationToken cancellationToken)
    {
        var secret = await objects.FindAsync("secrets", claims.Namespace, secretName, cancellationToken).ConfigureAwait(false);
        if (secret is not { DeletionTimestamp: null, LegacyTokenInvalidated: false } || secret.Token != token)
        {
            return false;
        }

        var account = await objects.FindAsync("serviceaccounts", claims.Namespace, claims.Name, cancellationToken).ConfigureAwait(false);
        if (account is not { DeletionTimestamp: null } || account.Uid != claims.Uid)
        {
            return false;
        }

        // legacy.go: the Secret is labelled with the day of use (UTC), written at most once a day; tomorrow's date
        // counts as current too, for servers whose clocks disagree. A failed write does not fail the request.
        var now = time.GetUtcNow().UtcDateTime;
        var today = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (secret.LegacyTokenLastUsed != today && secret.LegacyTokenLastUsed != now.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        {
            try
            {
                await objects.MarkLegacyTokenUsedAsync(claims.Namespace, secretName, secret.Uid, today, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Upstream logs the failed patch and authenticates the request all the same.
            }
        }

        return true;
    }

    private async Task<bool> IsCurrentAsync(string resource, string? ns, TokenBinding binding, CancellationToken cancellationToken)
    {
        var found = await objects.FindAsync(resource, ns, binding.Name, cancellationToken).ConfigureAwait(false);
        return found is not null
            && found.Uid == binding.Uid
            && (found.DeletionTimestamp is not { } deleted || deleted >= time.GetUtcNow() - _deletedObjectGrace);
    }
}
