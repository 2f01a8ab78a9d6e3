using Timonel.Kustomize.Model;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Transformers;

/// <summary>
/// After all renames (prefix, suffix, hash), rewrites fields that refer to other objects by an earlier name to
/// their final name (kustomize's FixBackReferences with the nameReference config).
/// </summary>
public static class NameReferenceFixer
{
    public static void Fix(ResourceList ra)
    {
        foreach (var referrer in ra.Items)
        {
            foreach (var backRef in DefaultFieldSpecs.NameReferences)
            {
                var candidates = ra.Items.Where(r => r.Kind == backRef.Kind && (backRef.Group.Length == 0 || r.Group == backRef.Group)).ToList();
                if (candidates.Count == 0)
                {
                    continue;
                }
                foreach (var spec in backRef.Referrers.Where(s => s.Matches(referrer)))
                {
                    FieldWalker.Walk(referrer.Node, FieldSpec.SplitPath(spec.Path), false, (parent, key) =>
                        Update(referrer, parent, key, candidates, backRef.Kind));
                }
            }
        }
    }

    private static void Update(Resource referrer, YMap parent, string key, List<Resource> candidates, string kind)
    {
        switch (parent[key])
        {
            case YScalar s when s.Kind == ScalarKind.String:
                if (Select(referrer, s.Value, candidates, null) is { } found)
                {
                    parent[key] = new YScalar(found.Name);
                }
                break;
            case YSeq seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (seq.Items[i] is YScalar item && Select(referrer, item.Value, candidates, null) is { } hit)
                    {
                        seq.Items[i] = new YScalar(hit.Name);
                    }
                    else if (seq.Items[i] is YMap subject && key == "subjects" && subject.GetString("kind") == kind)
                    {
                        UpdateNamespaced(referrer, subject, candidates);
                    }
                }
                break;
            case YMap service when key == "service":
                UpdateNamespaced(referrer, service, candidates);
                break;
        }
    }

    // Subjects and webhook services carry name and namespace together; both follow the referred object.
    private static void UpdateNamespaced(Resource referrer, YMap field, List<Resource> candidates)
    {
        var name = field.GetString("name");
        if (name is null)
        {
            return;
        }
        var ns = field.GetString("namespace");
        if (Select(referrer, name, candidates, ns) is { } found)
        {
            field.SetString("name", found.Name);
            if (found.Namespace.Length > 0)
            {
                field.SetString("namespace", found.Namespace);
            }
        }
    }

    private static Resource? Select(Resource referrer, string name, List<Resource> candidates, string? explicitNamespace)
    {
        var byName = candidates.Where(c => c.HadName(name)).ToList();
        if (byName.Count == 0)
        {
            return null;
        }
        var scoped = byName.Where(c => NamespaceTransformer.ClusterScoped.Contains(c.Kind)
            || (explicitNamespace is null
                ? Resource.NamespacesEqual(c.Namespace, referrer.Namespace)
                : c.History.Any(h => h.Name == name && Resource.NamespacesEqual(h.Namespace, explicitNamespace))
                  || Resource.NamespacesEqual(c.Namespace, explicitNamespace))).ToList();
        if (scoped.Count == 1)
        {
            return scoped[0];
        }
        if (scoped.Count > 1)
        {
            // Prefer the candidate renamed the same way as the referrer (same prefixes and suffixes).
            var same = scoped.Where(c => c.Prefixes.SequenceEqual(referrer.Prefixes) && c.Suffixes.SequenceEqual(referrer.Suffixes)).ToList();
            if (same.Count == 1)
            {
                return same[0];
            }
            if (scoped.Select(c => c.Name).Distinct().Count() == 1)
            {
                return scoped[0];
            }
            throw new KustomizeException($"found multiple possible referrals: {string.Join(", ", scoped.Select(c => c.Id.ToString()))}");
        }
        return null;
    }
}
