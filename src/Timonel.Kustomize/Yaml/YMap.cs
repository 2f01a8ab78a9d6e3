namespace Timonel.Kustomize.Yaml;

/// <summary>A YAML mapping with string keys, kept in insertion order (output sorts keys anyway).</summary>
public sealed class YMap : YNode
{
    private readonly List<KeyValuePair<string, YNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, YNode>> Entries => _entries;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public YNode? this[string key]
    {
        get
        {
            var i = IndexOf(key);
            return i < 0 ? null : _entries[i].Value;
        }
        set
        {
            if (value is null)
            {
                Remove(key);
                return;
            }
            var i = IndexOf(key);
            if (i < 0)
            {
                _entries.Add(new(key, value));
            }
            else
            {
                _entries[i] = new(key, value);
            }
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return false;
        }
        _entries.RemoveAt(i);
        return true;
    }

    public string? GetString(string key) => this[key] is YScalar { Kind: not ScalarKind.Null } s ? s.Value : null;

    public YMap? GetMap(string key) => this[key] as YMap;

    public YSeq? GetSeq(string key) => this[key] as YSeq;

    /// <summary>Returns the mapping under key, creating an empty one when absent or null.</summary>
    public YMap GetOrAddMap(string key)
    {
        if (this[key] is YMap m)
        {
            return m;
        }
        m = new YMap();
        this[key] = m;
        return m;
    }

    public void SetString(string key, string value) => this[key] = new YScalar(value);

    public override YNode Clone()
    {
        var copy = new YMap();
        foreach (var e in _entries)
        {
            copy._entries.Add(new(e.Key, e.Value.Clone()));
        }
        return copy;
    }

    private int IndexOf(string key)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key)
            {
                return i;
            }
        }
        return -1;
    }
}
