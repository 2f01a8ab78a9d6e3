using System.Text.Json.Nodes;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// A set of field paths as managedFields records them (FieldsV1, after sigs.k8s.io/structured-merge-diff's
/// fieldpath.Set): a tree whose edges are path elements spelled as FieldsV1 spells them ("f:spec",
/// "k:{\"name\":\"nginx\"}", "v:\"a\"", see <see cref="FieldsV1Path"/>), where a node is in the set when it is a member;
/// its children are the paths below it. Spelling elements canonically lets sets compare by string.
/// </summary>
public sealed class FieldSet
{
    // FieldsV1 marks a member that also has children with this entry ("." : {}).
    private const string SelfMarker = ".";

    private SortedDictionary<string, FieldSet>? _children;

    /// <summary>Whether the path that leads to this node is in the set.</summary>
    public bool IsMember { get; set; }

    /// <summary>The deeper paths, by element.</summary>
    public IEnumerable<KeyValuePair<string, FieldSet>> Children => _children ?? Enumerable.Empty<KeyValuePair<string, FieldSet>>();

    /// <summary>True when no path at all is in the set.</summary>
    public bool IsEmpty => !IsMember && (_children is null || _children.Values.All(c => c.IsEmpty));

    /// <summary>The node for <paramref name="element"/>, added when missing.</summary>
    public FieldSet Child(string element)
    {
        _children ??= new SortedDictionary<string, FieldSet>(StringComparer.Ordinal);
        if (!_children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            _children[element] = child;
        }

        return child;
    }

    public FieldSet? Find(string element) => _children?.GetValueOrDefault(element);

    /// <summary>Adds the path (and makes its last node a member).</summary>
    public void Insert(IEnumerable<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Child(element);
        }

        node.IsMember = true;
    }

    /// <summary>Whether the path itself is in the set.</summary>
    public bool Contains(IReadOnlyList<string> path) => Descend(path) is { IsMember: true };

    /// <summary>Whether the path or any path below it is in the set.</summary>
    public bool ContainsAnyAt(IReadOnlyList<string> path) => Descend(path) is { IsEmpty: false };

    public void UnionWith(FieldSet other)
    {
        IsMember |= other.IsMember;
        foreach (var (element, child) in other.Children)
        {
            Child(element).UnionWith(child);
        }
    }

    /// <summary>Removes every path of <paramref name="other"/> (paths below a removed one stay unless listed too).</summary>
    public void ExceptWith(FieldSet other)
    {
        if (other.IsMember)
        {
            IsMember = false;
        }

        if (_children is null)
        {
            return;
        }

        foreach (var (element, child) in other.Children)
        {
            if (_children.TryGetValue(element, out var mine))
            {
                mine.ExceptWith(child);
                if (mine.IsEmpty)
                {
                    _children.Remove(element);
                }
            }
        }
    }

    /// <summary>The paths in both sets.</summary>
    public FieldSet Intersect(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        if (_children is null)
        {
            return result;
        }

        foreach (var (element, child) in other.Children)
        {
            if (_children.TryGetValue(element, out var mine))
            {
                var both = mine.Intersect(child);
                if (!both.IsEmpty)
                {
                    result.Child(element).UnionWith(both);
                }
            }
        }

        return result;
    }

    /// <summary>Every member path, parents before their children, children in element order.</summary>
    public IEnumerable<IReadOnlyList<string>> Members() => Members([]);

    private IEnumerable<IReadOnlyList<string>> Members(List<string> prefix)
    {
        if (IsMember)
        {
            yield return prefix.ToArray();
        }

        foreach (var (element, child) in Children)
        {
            prefix.Add(element);
            foreach (var path in child.Members(prefix))
            {
                yield return path;
            }

            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet();
        copy.UnionWith(this);
        return copy;
    }

    /// <summary>The FieldsV1 form: {"f:spec":{"f:replicas":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}.</summary>
    public JsonObject ToFieldsV1()
    {
        var json = new JsonObject();
        if (IsMember && _children is { Count: > 0 })
        {
            json[SelfMarker] = new JsonObject();
        }

        foreach (var (element, child) in Children)
        {
            if (!child.IsEmpty)
            {
                json[element] = child.ToFieldsV1();
            }
        }

        return json;
    }

    /// <summary>Reads the FieldsV1 form; an empty object is a member leaf.</summary>
    public static FieldSet FromFieldsV1(JsonObject json)
    {
        var set = new FieldSet();
        foreach (var (element, value) in json)
        {
            if (element == SelfMarker)
            {
                set.IsMember = true;
            }
            else if (value is JsonObject child)
            {
                var node = FromFieldsV1(child);
                if (child.Count == 0)
                {
                    node.IsMember = true;
                }

                set.Child(element).UnionWith(node);
            }
        }

        return set;
    }

    private FieldSet? Descend(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.Find(element);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }
}
