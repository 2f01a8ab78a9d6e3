using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// Visits the fields a field-spec path names. Sequences met on the way are entered element by element (kustomize
/// writes "containers[]" or just "containers"); with create, missing mappings on the way are added.
/// </summary>
public static class FieldWalker
{
    /// <summary>Calls visit(parent, key) for each place the path leads to; the leaf may be absent when create is set.</summary>
    public static void Walk(YNode node, IReadOnlyList<string> path, bool create, Action<YMap, string> visit) =>
        Walk(node, path, 0, create, visit);

    private static void Walk(YNode node, IReadOnlyList<string> path, int index, bool create, Action<YMap, string> visit)
    {
        if (node is YSeq seq)
        {
            foreach (var item in seq.Items.ToList())
            {
                Walk(item, path, index, create, visit);
            }
            return;
        }
        if (node is not YMap map)
        {
            return;
        }
        var key = path[index];
        if (key.EndsWith("[]", StringComparison.Ordinal))
        {
            key = key[..^2];
        }
        if (index == path.Count - 1)
        {
            if (map.ContainsKey(key) || create)
            {
                visit(map, key);
            }
            return;
        }
        var child = map[key];
        if (child is null or YScalar { Kind: ScalarKind.Null })
        {
            if (!create)
            {
                return;
            }
            child = path[index].EndsWith("[]", StringComparison.Ordinal) ? new YSeq() : new YMap();
            map[key] = child;
        }
        Walk(child, path, index + 1, create, visit);
    }
}
