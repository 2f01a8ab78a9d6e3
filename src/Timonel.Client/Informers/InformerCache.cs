using k8s;
using k8s.Models;

namespace Timonel.Client.Informers;

/// <summary>
/// An informer's local copy of its objects, keyed by <see cref="ObjectKey"/>, with named indexes kept current as
/// objects change (client-go's thread-safe store with its Indexers, and the Lister over it). Reads never reach the
/// API server, and an indexed read touches only the objects it answers; objects returned are shared with the
/// informer, so callers clone before changing one.
/// </summary>
public sealed class InformerCache<T>
    where T : class, IMetadata<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CacheIndex<T>> _indexes = new(StringComparer.Ordinal);

    public InformerCache() => AddIndexer(Indexers.NamespaceIndex, Indexers.Namespace);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>The object named, or null when the cache does not hold it.</summary>
    public T? Get(string? ns, string name)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(ObjectKey.For(ns, name));
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return [.. _objects.Values];
        }
    }

    /// <summary>The objects in namespace <paramref name="ns"/>, through the namespace index.</summary>
    public IReadOnlyList<T> List(string ns) => ByIndex(Indexers.NamespaceIndex, ns);

    /// <summary>
    /// Adds an index (client-go's AddIndexers); the objects already cached are indexed at once. Adding a name again
    /// with the same function does nothing, with another function throws: two controllers disagree on what it means.
    /// </summary>
    public void AddIndexer(string name, IndexFunc<T> indexFunc)
    {
        lock (_lock)
        {
            if (_indexes.TryGetValue(name, out var existing))
            {
                if (existing.Func != indexFunc)
                {
                    throw new InvalidOperationException($"indexer conflict: an index named \"{name}\" already exists with another function");
                }

                return;
            }

            var index = new CacheIndex<T>(indexFunc);
            foreach (var (key, obj) in _objects)
            {
                index.Add(key, obj);
            }

            _indexes[name] = index;
        }
    }

    /// <summary>The objects index <paramref name="indexName"/> files under <paramref name="value"/> (client-go's ByIndex).</summary>
    /// <exception cref="InvalidOperationException">No index has that name.</exception>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                // client-go's message (tools/cache/thread_safe_store.go).
                throw new InvalidOperationException($"Index with name {indexName} does not exist");
            }

            return [.. index.Keys(value).Select(key => _objects[key])];
        }
    }

    /// <summary>Stores <paramref name="obj"/>; answers the object it replaced, or null when it is new.</summary>
    internal T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_lock)
        {
            var old = _objects.GetValueOrDefault(key);
            _objects[key] = obj;
            foreach (var index in _indexes.Values)
            {
                if (old is not null)
                {
                    index.Remove(key, old);
                }

                index.Add(key, obj);
            }

            return old;
        }
    }

    /// <summary>Removes the object's key; answers what was cached under it, or null.</summary>
    internal T? Remove(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_lock)
        {
            if (!_objects.Remove(key, out var old))
            {
                return null;
            }

            foreach (var index in _indexes.Values)
            {
                index.Remove(key, old);
            }

            return old;
        }
    }

    /// <summary>The keys cached that <paramref name="listed"/> no longer holds, with their objects.</summary>
    internal IReadOnlyList<T> Missing(IReadOnlyList<T> listed)
    {
        var keys = listed.Select(ObjectKey.Of).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            return [.. _objects.Where(pair => !keys.Contains(pair.Key)).Select(pair => pair.Value)];
        }
    }
}
