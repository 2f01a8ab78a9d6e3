using k8s;

namespace Timonel.Client.Informers;

/// <summary>Objects from an informer's cache are shared with every reader: a controller changes a copy.</summary>
public static class CachedObject
{
    /// <summary>A deep copy of <paramref name="cached"/>, through the client's own JSON form so no field is missed.</summary>
    public static T Copy<T>(T cached) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(cached));
}
