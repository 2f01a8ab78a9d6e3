using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>An object's cache key, as client-go's MetaNamespaceKeyFunc: "namespace/name", or "name" when cluster-scoped.</summary>
public static class ObjectKey
{
    public static string Of(IMetadata<V1ObjectMeta> obj) => For(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");

    public static string For(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    /// <summary>A key back into namespace ("" when cluster-scoped) and name, as client-go's SplitMetaNamespaceKey.</summary>
    public static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
