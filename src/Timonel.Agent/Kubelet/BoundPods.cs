using System.Collections.Concurrent;
using k8s.Models;

namespace Timonel.Agent.Kubelet;

/// <summary>The pods bound to this node as the informer has them: the runtime keeps their containers (a finished pod's for its logs).</summary>
internal sealed class BoundPods
{
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);

    public void Set(V1Pod pod) => _pods[pod.Metadata.Uid] = pod;

    public void Remove(V1Pod pod) => _pods.TryRemove(pod.Metadata.Uid, out _);

    public V1Pod? Get(string uid) => _pods.TryGetValue(uid, out var pod) ? pod : null;

    public IReadOnlySet<string> Uids() => _pods.Keys.ToHashSet(StringComparer.Ordinal);
}
