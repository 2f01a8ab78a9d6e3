using Timonel.Kustomize.Model;

namespace Timonel.Kustomize.Transformers;

/// <summary>namePrefix / nameSuffix on metadata.name, except the kinds kustomize skips (PrefixTransformer.go).</summary>
public static class PrefixSuffixTransformer
{
    public static void Apply(ResourceList ra, string prefix, string suffix)
    {
        if (prefix.Length == 0 && suffix.Length == 0)
        {
            return;
        }
        foreach (var r in ra.Items)
        {
            if (r.Kind is "CustomResourceDefinition" or "Namespace" || (r.Kind == "APIService" && r.Group == "apiregistration.k8s.io"))
            {
                continue;
            }
            if (prefix.Length > 0)
            {
                r.SetName(prefix + r.Name);
                r.Prefixes.Add(prefix);
            }
            if (suffix.Length > 0)
            {
                r.SetName(r.Name + suffix);
                r.Suffixes.Add(suffix);
            }
        }
    }
}
