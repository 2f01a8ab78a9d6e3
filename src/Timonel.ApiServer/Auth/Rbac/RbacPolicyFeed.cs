using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Auth.Rbac;

/// <summary>
/// Keeps <see cref="RbacPolicyCache"/> in step with the stored Roles, ClusterRoles and bindings: one list and then one
/// watch of the rbac.authorization.k8s.io keys on the API server's own watch cache (no datastore round trip, as
/// upstream's authorizer reads informers of the loopback client). A watch the cache ends (a slow reader, a revision
/// out of its window) is followed by a relist.
/// </summary>
public sealed class RbacPolicyFeed : IAsyncDisposable
{
    /// <summary>Where upstream's storage (and Timonel's) keeps the RBAC group's objects.</summary>
    public const string Prefix = "/registry/rbac.authorization.k8s.io/";

    private readonly WatchCache _cache;
    private readonly RbacPolicyCache _policy;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, long> _modRevisions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;
    private Task? _pump;

    public RbacPolicyFeed(WatchCache cache, RbacPolicyCache policy, ILogger<RbacPolicyFeed> logger)
    {
        _cache = cache;
        _policy = policy;
        _logger = logger;
    }

    /// <summary>Loads what the watch cache holds now and follows it from there.</summary>
    public void Start()
    {
        var revision = Relist();
        _pump = Task.Run(() => PumpAsync(revision, _stopping.Token), CancellationToken.None);
    }

    /// <summary>Waits until the policy reflects every RBAC write up to <paramref name="revision"/> (the server's own writes at start).</summary>
    public async Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task applied;
            lock (_lock)
            {
                if (_revision >= revision)
                {
                    return;
                }

                applied = _applied.Task;
            }

            await applied.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private long Relist()
    {
        var (items, revision) = _cache.List(Prefix);
        _policy.Clear();
        _modRevisions.Clear();
        foreach (var kv in items)
        {
            if (Parse(kv.Key) is { } at && JsonNode.Parse(kv.Value) is JsonObject obj)
            {
                _policy.Put(at.Resource, obj);
                _modRevisions[kv.Key] = kv.ModRevision;
            }
        }

        MarkApplied(revision);
        return revision;
    }

    private async Task PumpAsync(long revision, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Watcher watcher;
            try
            {
                watcher = _cache.Watch(Prefix, revision);
            }
            catch (StatusException ex) when (ex.Code == 410)
            {
                revision = Relist();
                continue;
            }

            using (watcher)
            {
                try
                {
                    await foreach (var change in watcher.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    {
                        Apply(change);
                        revision = Math.Max(revision, change.Revision);
                        MarkApplied(revision);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            // The cache ended the watch (this reader fell behind, or the cache is stopping): start over from a list.
            if (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogInformation("RBAC policy watch ended after revision {Revision}; relisting", revision);
                revision = Relist();
            }
        }
    }

    private void Apply(CachedEvent change)
    {
        if (Parse(change.Key) is not { } at)
        {
            return;
        }

        // An event the last list already reflects (the watch replays from the list's revision) changes nothing.
        if (_modRevisions.TryGetValue(change.Key, out var known) && known >= change.Revision)
        {
            return;
        }

        if (change.Type == "DELETED")
        {
            _modRevisions.Remove(change.Key);
            _policy.Remove(at.Resource, at.Namespace, at.Name);
            return;
        }

        _modRevisions[change.Key] = change.Revision;
        _policy.Put(at.Resource, change.DecodeObject());
    }

    private void MarkApplied(long revision)
    {
        TaskCompletionSource applied;
        lock (_lock)
        {
            _revision = Math.Max(_revision, revision);
            applied = _applied;
            _applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        applied.TrySetResult();
    }

    // /registry/rbac.authorization.k8s.io/roles/NS/NAME, .../clusterroles/NAME.
    private static (string Resource, string Namespace, string Name)? Parse(string key)
    {
        var parts = key[Prefix.Length..].Split('/');
        return parts switch
        {
            [RbacPolicyCache.Roles or RbacPolicyCache.RoleBindings, var ns, var name] => (parts[0], ns, name),
            [RbacPolicyCache.ClusterRoles or RbacPolicyCache.ClusterRoleBindings, var name] => (parts[0], "", name),
            _ => null,
        };
    }
}
