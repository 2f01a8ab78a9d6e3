using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// Visits the fields a field-spec path names. Sequences met on the way are entered element by element (kustomize
/// writes "containers[]" or just "containers"); with create, missing mappings on the way are added, never a missing
/// sequence: kustomize only looks a field marked "[]" up (api/filters/fieldspec/fieldspec.go), so a StatefulSet
/// without volumeClaimTemplates does not get an empty list from the labels a template would receive.
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
        var isSequence = key.EndsWith("[]", StringComparison.Ordinal);
        if (isSequence)
        {
            key = key[..^2];
        }
        var creates = create && !isSequence;
        if (index == path.Count - 1)
        {
            if (map.ContainsKey(key) || creates)
            {
                visit(map, key);
            }
            return;
        }
        var child = map[key];
        if (child is null or YScalar { Kind: ScalarKind.Null })
        {
            if (!creates)
            {
                return;
            }
            child = new YMap();
            map[key] = child;
        }
        Walk(child, path, index + 1, create, visit);
    }
}
