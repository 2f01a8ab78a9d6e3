using System.Collections.Concurrent;
using k8s.Models;
using Timonel.Agent.Kubelet;

namespace Timonel.Testing.Kubelet;

/// <summary>
/// <see cref="IPodObjects"/> over dictionaries a test fills: ConfigMaps, Secrets, Services, claims and volumes by
/// name; tokens are issued as <c>token-1</c>, <c>token-2</c>… expiring after the requested seconds on the given clock,
/// and every request is kept in <see cref="TokenRequests"/>.
/// </summary>
public sealed class FakePodObjects : IPodObjects
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Ns, string Name), V1ConfigMap> _configMaps = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), V1Secret> _secrets = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), V1PersistentVolumeClaim> _claims = new();
    private readonly ConcurrentDictionary<string, V1PersistentVolume> _volumes = new();
    private readonly ConcurrentDictionary<string, List<V1Service>> _services = new();
    private readonly ConcurrentQueue<(string Ns, string ServiceAccount, Authenticationv1TokenRequest Request)> _tokenRequests = new();
    private readonly ConcurrentQueue<V1PersistentVolumeClaim> _claimStatusUpdates = new();
    private int _tokens;

    public FakePodObjects(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Every token asked for so far, oldest first.</summary>
    public IReadOnlyList<(string Ns, string ServiceAccount, Authenticationv1TokenRequest Request)> TokenRequests => [.. _tokenRequests];

    /// <summary>Every claim status written so far, oldest first (each also replaces the claim).</summary>
    public IReadOnlyList<V1PersistentVolumeClaim> ClaimStatusUpdates => [.. _claimStatusUpdates];

    /// <summary>When set, token requests fail with it (an API server that is down or refuses).</summary>
    public Exception? TokenError { get; set; }

    public FakePodObjects Add(V1ConfigMap configMap)
    {
        _configMaps[(configMap.Metadata.NamespaceProperty, configMap.Metadata.Name)] = configMap;
        return this;
    }

    public FakePodObjects Add(V1Secret secret)
    {
        _secrets[(secret.Metadata.NamespaceProperty, secret.Metadata.Name)] = secret;
        return this;
    }

    public FakePodObjects Add(V1PersistentVolumeClaim claim)
    {
        _claims[(claim.Metadata.NamespaceProperty, claim.Metadata.Name)] = claim;
        return this;
    }

    public FakePodObjects Add(V1PersistentVolume volume)
    {
        _volumes[volume.Metadata.Name] = volume;
        return this;
    }

    public FakePodObjects Add(V1Service service)
    {
        var list = _services.GetOrAdd(service.Metadata.NamespaceProperty, _ => []);
        lock (list)
        {
            list.RemoveAll(s => s.Metadata.Name == service.Metadata.Name);
            list.Add(service);
        }

        return this;
    }

    public FakePodObjects WithConfigMap(string ns, string name, Dictionary<string, string> data) =>
        Add(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data });

    public FakePodObjects WithSecret(string ns, string name, Dictionary<string, string> data) => Add(new V1Secret
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = data.ToDictionary(pair => pair.Key, pair => System.Text.Encoding.UTF8.GetBytes(pair.Value)),
    });

    public FakePodObjects WithService(string ns, string name, string clusterIP, params V1ServicePort[] ports) => Add(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = clusterIP, Ports = ports },
    });

    public void RemoveConfigMap(string ns, string name) => _configMaps.TryRemove((ns, name), out _);

    public void RemoveSecret(string ns, string name) => _secrets.TryRemove((ns, name), out _);

    public Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_configMaps.TryGetValue((ns, name), out var found) ? found : null);

    public Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.TryGetValue((ns, name), out var found) ? found : null);

    public Task<IReadOnlyList<V1Service>> ListServicesAsync(string ns, CancellationToken cancellationToken)
    {
        if (!_services.TryGetValue(ns, out var list))
        {
            return Task.FromResult<IReadOnlyList<V1Service>>([]);
        }

        lock (list)
        {
            return Task.FromResult<IReadOnlyList<V1Service>>([.. list]);
        }
    }

    public Task<V1PersistentVolumeClaim?> GetPersistentVolumeClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.TryGetValue((ns, name), out var found) ? found : null);

    public Task UpdatePersistentVolumeClaimStatusAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        _claimStatusUpdates.Enqueue(claim);
        _claims[(claim.Metadata.NamespaceProperty, claim.Metadata.Name)] = claim;
        return Task.CompletedTask;
    }

    public Task<V1PersistentVolume?> GetPersistentVolumeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_volumes.TryGetValue(name, out var found) ? found : null);

    public Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken)
    {
        _tokenRequests.Enqueue((ns, serviceAccount, request));
        if (TokenError is { } error)
        {
            return Task.FromException<Authenticationv1TokenRequest>(error);
        }

        var seconds = request.Spec.ExpirationSeconds ?? 3600;
        var answer = new Authenticationv1TokenRequest
        {
            Spec = request.Spec,
            Status = new V1TokenRequestStatus
            {
                Token = $"token-{Interlocked.Increment(ref _tokens)}",
                ExpirationTimestamp = _time.GetUtcNow().UtcDateTime.AddSeconds(seconds),
            },
        };
        return Task.FromResult(answer);
    }
}
