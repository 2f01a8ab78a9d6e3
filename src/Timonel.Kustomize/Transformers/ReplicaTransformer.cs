using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>The replicas field: sets spec.replicas of the named workloads (ReplicaCountTransformer).</summary>
public static class ReplicaTransformer
{
    public static void Apply(ResourceList ra, YSeq replicas)
    {
        foreach (var entry in replicas.Items.OfType<YMap>())
        {
            var name = entry.GetString("name") ?? "";
            var count = entry["count"] as YScalar ?? new YScalar("0", ScalarKind.Int);
            var matched = false;
            foreach (var r in ra.Items.Where(r => r.HadName(name)))
            {
                foreach (var spec in DefaultFieldSpecs.Replicas.Where(s => s.Matches(r)))
                {
                    matched = true;
                    FieldWalker.Walk(r.Node, FieldSpec.SplitPath(spec.Path), spec.Create, (parent, key) =>
                        parent[key] = new YScalar(count.Value, ScalarKind.Int));
                }
            }
            _ = matched;
        }
    }
}
