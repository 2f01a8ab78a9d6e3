using k8s;
using k8s.Models;
using Timonel.Client.Informers;

namespace Timonel.Controllers.ReplicaSet;

/// <summary>
/// What a <see cref="ReplicaSetController"/> manages, seen as ReplicaSets: the ReplicaSets themselves, or another kind
/// with the same meaning converted on the fly, as upstream runs its ReplicaSet controller over ReplicationControllers
/// (pkg/controller/replication: informerAdapter, clientsetAdapter and podControlAdapter).
/// </summary>
internal abstract class ReplicaSetSource
{
    protected ReplicaSetSource(string apiVersion, string kind, string component)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Component = component;
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        Group = slash < 0 ? "" : apiVersion[..slash];
    }

    /// <summary>What owner references and events name: apps/v1, or v1 for ReplicationControllers.</summary>
    public string ApiVersion { get; }

    public string Kind { get; }

    /// <summary>The API group of <see cref="ApiVersion"/> (empty for the core group).</summary>
    public string Group { get; }

    /// <summary>The component events are reported by.</summary>
    public string Component { get; }

    /// <summary>The informer behind the objects, which the controller waits for.</summary>
    public abstract ISharedInformer Informer { get; }

    /// <summary>The cached object as a ReplicaSet (read-only, as cached objects are), or null.</summary>
    public abstract V1ReplicaSet? Get(string ns, string name);

    public abstract IEnumerable<V1ReplicaSet> List(string ns);

    /// <summary>Handlers told of each change, with the objects as ReplicaSets.</summary>
    public abstract void AddHandlers(InformerHandlers<V1ReplicaSet> handlers);

    /// <summary>The object as the API server has it now (not the cache), as a ReplicaSet.</summary>
    public abstract Task<V1ReplicaSet> ReadAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="status"/> through the status subresource of the object <paramref name="rs"/> came from.</summary>
    public abstract Task UpdateStatusAsync(IKubernetes client, V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken);
}
