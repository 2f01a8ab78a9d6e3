using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// Index functions and the names they are added under, so every controller that shares an informer asks for the
/// same index by the same name (adding one name twice with the same function is harmless).
/// </summary>
public static class Indexers
{
    /// <summary>client-go's cache.NamespaceIndex. Every informer cache has it.</summary>
    public const string NamespaceIndex = "namespace";

    /// <summary>The name kube-controller-manager gives this index (pkg/controller/controller_utils.go, PodNodeNameKeyIndex).</summary>
    public const string PodNodeNameIndex = "spec.nodeName";

    public const string OwnerUidIndex = "metadata.ownerReferences.uid";

    /// <summary>By metadata.namespace (client-go's MetaNamespaceIndexFunc); cluster-scoped objects are left out.</summary>
    public static readonly IndexFunc<IMetadata<V1ObjectMeta>> Namespace =
        obj => obj.Metadata?.NamespaceProperty is { Length: > 0 } ns ? [ns] : [];

    /// <summary>By spec.nodeName: the pods bound to a node. Pods not yet scheduled are left out.</summary>
    public static readonly IndexFunc<V1Pod> PodNodeName =
        pod => pod.Spec?.NodeName is { Length: > 0 } node ? [node] : [];

    /// <summary>By the UID of every owner in metadata.ownerReferences: what an owner's controller or the garbage collector looks up.</summary>
    public static readonly IndexFunc<IMetadata<V1ObjectMeta>> OwnerUid =
        obj => obj.Metadata?.OwnerReferences is { Count: > 0 } owners ? [.. owners.Select(o => o.Uid).Where(uid => !string.IsNullOrEmpty(uid)).Distinct(StringComparer.Ordinal)] : [];
}
