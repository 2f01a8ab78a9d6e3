using System.Collections.Concurrent;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The kubelet's token manager (pkg/kubelet/token): service-account tokens for projected volumes, asked through the
/// TokenRequest API bound to the pod, cached per pod, account, audience and lifetime, and asked again once 80% of a
/// token's lifetime has passed or it is 24 hours old (less up to 10 s of jitter, so that many pods do not refresh at
/// once). A refresh that fails keeps serving the cached token until it expires.
/// </summary>
internal sealed class ServiceAccountTokens
{
    /// <summary>The lifetime asked when the projection gives none (the API's default for expirationSeconds).</summary>
    public const long DefaultExpirationSeconds = 3600;

    private static readonly TimeSpan _maxTokenAge = TimeSpan.FromHours(24);
    private static readonly TimeSpan _maxJitter = TimeSpan.FromSeconds(10);

    private readonly IPodObjects _objects;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<TokenKey, Authenticationv1TokenRequest> _cache = new();

    public ServiceAccountTokens(IPodObjects objects, TimeProvider time)
    {
        _objects = objects;
        _time = time;
    }

    /// <summary>A current token for the pod's service account as <paramref name="projection"/> asks for it.</summary>
    public async Task<string> GetAsync(V1Pod pod, V1ServiceAccountTokenProjection projection, CancellationToken cancellationToken)
    {
        var key = new TokenKey(
            pod.Metadata.NamespaceProperty ?? "default",
            pod.Spec.ServiceAccountName ?? "default",
            projection.Audience ?? "",
            projection.ExpirationSeconds ?? DefaultExpirationSeconds,
            pod.Metadata.Name,
            pod.Metadata.Uid);
        if (_cache.TryGetValue(key, out var cached) && !NeedsRefresh(cached, key.ExpirationSeconds))
        {
            return cached.Status.Token;
        }

        try
        {
            var issued = await _objects.CreateTokenAsync(key.Namespace, key.ServiceAccount, Request(key), cancellationToken);
            _cache[key] = issued;
            return issued.Status.Token;
        }
        catch (Exception) when (cached is not null && cached.Status.ExpirationTimestamp > _time.GetUtcNow().UtcDateTime && !cancellationToken.IsCancellationRequested)
        {
            return cached.Status.Token;
        }
    }

    /// <summary>Drops the tokens of a pod that is gone (upstream DeleteServiceAccountToken).</summary>
    public void Forget(string podUid)
    {
        foreach (var key in _cache.Keys.Where(k => k.PodUid == podUid))
        {
            _cache.TryRemove(key, out _);
        }
    }

    private static Authenticationv1TokenRequest Request(TokenKey key) => new()
    {
        ApiVersion = "authentication.k8s.io/v1",
        Kind = "TokenRequest",
        Spec = new V1TokenRequestSpec
        {
            Audiences = key.Audience.Length == 0 ? [] : [key.Audience],
            ExpirationSeconds = key.ExpirationSeconds,
            BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = key.PodName, Uid = key.PodUid },
        },
    };

    // requiresRefresh: the issued-at time is the expiry less the lifetime the server granted.
    private bool NeedsRefresh(Authenticationv1TokenRequest token, long askedSeconds)
    {
        var lifetime = TimeSpan.FromSeconds(token.Spec?.ExpirationSeconds ?? askedSeconds);
        if (token.Status.ExpirationTimestamp is not { } expiry)
        {
            return true;
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(expiry, DateTimeKind.Utc));
        var issued = expires - lifetime;
        var jitter = _maxJitter * Random.Shared.NextDouble();
        var now = _time.GetUtcNow();
        return now > issued + _maxTokenAge - jitter || now > expires - (lifetime * 0.2) - jitter;
    }

    private sealed record TokenKey(string Namespace, string ServiceAccount, string Audience, long ExpirationSeconds, string PodName, string PodUid);
}
