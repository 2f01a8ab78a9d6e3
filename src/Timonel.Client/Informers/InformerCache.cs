using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// An informer's local copy of its objects, keyed by <see cref="ObjectKey"/> (client-go's Indexer and Lister). Reads
/// never reach the API server; objects returned are shared with the informer, so callers clone before changing one.
/// </summary>
public sealed class InformerCache<T>
    where T : class, IMetadata<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _objects = new(StringComparer.Ordinal);

    public int Count => _objects.Count;

    /// <summary>The object named, or null when the cache does not hold it.</summary>
    public T? Get(string? ns, string name) => _objects.GetValueOrDefault(ObjectKey.For(ns, name));

    public IReadOnlyList<T> List() => [.. _objects.Values];

    public IReadOnlyList<T> List(string ns) => [.. _objects.Values.Where(o => o.Metadata?.NamespaceProperty == ns)];

    /// <summary>Stores <paramref name="obj"/>; answers the object it replaced, or null when it is new.</summary>
    internal T? Upsert(T obj)
    {
        T? old = null;
        _objects.AddOrUpdate(ObjectKey.Of(obj), obj, (_, existing) =>
        {
            old = existing;
            return obj;
        });
        return old;
    }

    /// <summary>Removes the object's key; answers what was cached under it, or null.</summary>
    internal T? Remove(T obj) => _objects.TryRemove(ObjectKey.Of(obj), out var old) ? old : null;

    /// <summary>The keys cached that <paramref name="listed"/> no longer holds, with their objects.</summary>
    internal IReadOnlyList<T> Missing(IReadOnlyList<T> listed)
    {
        var keys = listed.Select(ObjectKey.Of).ToHashSet(StringComparer.Ordinal);
        return [.. _objects.Where(pair => !keys.Contains(pair.Key)).Select(pair => pair.Value)];
    }
}
