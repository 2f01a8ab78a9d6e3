using System.Text;

namespace Timonel.Api.Validation;

/// <summary>
/// The path from an object's root to one of its fields, as apimachinery's field.Path
/// (pkg/util/validation/field/path.go): <c>spec.containers[0].name</c>, <c>metadata.labels[app]</c>.
/// Immutable; every step returns a new path.
/// </summary>
public sealed class FieldPath
{
    private readonly string? _name;
    private readonly string? _index;
    private readonly FieldPath? _parent;

    private FieldPath(string? name, string? index, FieldPath? parent)
    {
        _name = name;
        _index = index;
        _parent = parent;
    }

    /// <summary>Creates a root path from one or more field names: <c>Root("metadata", "name")</c>.</summary>
    public static FieldPath Root(string name, params string[] moreNames)
    {
        var path = new FieldPath(name, null, null);
        foreach (var next in moreNames)
        {
            path = new FieldPath(next, null, path);
        }
        return path;
    }

    /// <summary>A child field of this path.</summary>
    public FieldPath Child(string name, params string[] moreNames)
    {
        var path = new FieldPath(name, null, this);
        foreach (var next in moreNames)
        {
            path = new FieldPath(next, null, path);
        }
        return path;
    }

    /// <summary>A list element of this path: <c>containers[2]</c>.</summary>
    public FieldPath Index(int index) => new(null, index.ToString(System.Globalization.CultureInfo.InvariantCulture), this);

    /// <summary>A map entry of this path: <c>labels[app]</c>.</summary>
    public FieldPath Key(string key) => new(null, key, this);

    /// <summary>Renders the path as upstream does: names joined by '.', subscripts in brackets.</summary>
    public override string ToString()
    {
        var elements = new List<FieldPath>();
        for (var p = this; p is not null; p = p._parent)
        {
            elements.Add(p);
        }
        var builder = new StringBuilder();
        for (var i = elements.Count - 1; i >= 0; i--)
        {
            var element = elements[i];
            if (!string.IsNullOrEmpty(element._name))
            {
                if (element._parent is not null)
                {
                    builder.Append('.');
                }
                builder.Append(element._name);
            }
            else
            {
                builder.Append('[').Append(element._index).Append(']');
            }
        }
        return builder.ToString();
    }
}
