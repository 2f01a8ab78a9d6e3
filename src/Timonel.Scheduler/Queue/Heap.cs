namespace Timonel.Scheduler.Queue;

/// <summary>A binary heap whose items can be found, updated and removed by key (upstream internal/heap).</summary>
internal sealed class Heap<T>
    where T : class
{
    private readonly List<T> _items = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Func<T, string> _key;
    private readonly Func<T, T, bool> _less;

    public Heap(Func<T, string> key, Func<T, T, bool> less)
    {
        _key = key;
        _less = less;
    }

    public int Count => _items.Count;

    public IEnumerable<T> Items => _items;

    public bool Contains(string key) => _index.ContainsKey(key);

    public T? Get(string key) => _index.TryGetValue(key, out var i) ? _items[i] : null;

    public T? Peek() => _items.Count > 0 ? _items[0] : null;

    /// <summary>Adds the item, or replaces the one with its key and restores the order.</summary>
    public void AddOrUpdate(T item)
    {
        var key = _key(item);
        if (_index.TryGetValue(key, out var i))
        {
            _items[i] = item;
            Fix(i);
            return;
        }

        _items.Add(item);
        _index[key] = _items.Count - 1;
        Up(_items.Count - 1);
    }

    public T? Pop()
    {
        if (_items.Count == 0)
        {
            return null;
        }

        var top = _items[0];
        RemoveAt(0);
        return top;
    }

    public bool Remove(string key)
    {
        if (!_index.TryGetValue(key, out var i))
        {
            return false;
        }

        RemoveAt(i);
        return true;
    }

    private void RemoveAt(int i)
    {
        var last = _items.Count - 1;
        _index.Remove(_key(_items[i]));
        if (i != last)
        {
            _items[i] = _items[last];
            _index[_key(_items[i])] = i;
        }

        _items.RemoveAt(last);
        if (i < _items.Count)
        {
            Fix(i);
        }
    }

    private void Fix(int i)
    {
        if (!Up(i))
        {
            Down(i);
        }
    }

    private bool Up(int i)
    {
        var moved = false;
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!_less(_items[i], _items[parent]))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
            moved = true;
        }

        return moved;
    }

    private void Down(int i)
    {
        while (true)
        {
            var smallest = i;
            foreach (var child in (ReadOnlySpan<int>)[(2 * i) + 1, (2 * i) + 2])
            {
                if (child < _items.Count && _less(_items[child], _items[smallest]))
                {
                    smallest = child;
                }
            }

            if (smallest == i)
            {
                return;
            }

            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_items[a], _items[b]) = (_items[b], _items[a]);
        _index[_key(_items[a])] = a;
        _index[_key(_items[b])] = b;
    }
}
