namespace Timonel.Client.Informers;

/// <summary>One named index of an informer cache: each indexed value to the keys of the objects filed under it.</summary>
internal sealed class CacheIndex<T>
{
    private readonly Dictionary<string, HashSet<string>> _keysByValue = new(StringComparer.Ordinal);

    public CacheIndex(IndexFunc<T> func) => Func = func;

    public IndexFunc<T> Func { get; }

    public IEnumerable<string> Keys(string value) => _keysByValue.TryGetValue(value, out var keys) ? keys : [];

    public void Add(string key, T obj)
    {
        foreach (var value in Func(obj))
        {
            if (!_keysByValue.TryGetValue(value, out var keys))
            {
                _keysByValue[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            }

            keys.Add(key);
        }
    }

    public void Remove(string key, T obj)
    {
        foreach (var value in Func(obj))
        {
            if (_keysByValue.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
            {
                _keysByValue.Remove(value);
            }
        }
    }
}
