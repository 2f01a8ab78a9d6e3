using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>Adds key/value pairs to the string maps the field specs name: labels and annotations.</summary>
public static class MapFieldTransformer
{
    public static void Apply(ResourceList ra, IReadOnlyList<KeyValuePair<string, string>> pairs, IEnumerable<FieldSpec> specs)
    {
        if (pairs.Count == 0)
        {
            return;
        }
        var specList = specs.ToList();
        foreach (var r in ra.Items)
        {
            foreach (var spec in specList.Where(s => s.Matches(r)))
            {
                FieldWalker.Walk(r.Node, FieldSpec.SplitPath(spec.Path), spec.Create, (parent, key) =>
                {
                    if (parent[key] is not YMap target)
                    {
                        if (parent[key] is not null and not YScalar { Kind: ScalarKind.Null })
                        {
                            return;
                        }
                        target = new YMap();
                        parent[key] = target;
                    }
                    foreach (var (k, v) in pairs)
                    {
                        target.SetString(k, v);
                    }
                });
            }
        }
    }
}
