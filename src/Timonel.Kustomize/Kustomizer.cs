using System.Text;
using Timonel.Kustomize.Generators;
using Timonel.Kustomize.Loading;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Transformers;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize;

/// <summary>
/// Builds a kustomization directory into YAML, as `kustomize build` / `kubectl kustomize` (v5.5) prints it.
/// </summary>
public static class Kustomizer
{
    /// <summary>
    /// Builds the kustomization in <paramref name="directory"/>. Warnings (deprecated fields...) go to
    /// <paramref name="warnings"/> as they arise. Throws <see cref="KustomizeException"/> with kustomize's message.
    /// </summary>
    public static string Build(string directory, TextWriter warnings)
    {
        var resources = BuildResources(directory, warnings, out var sortOptions);
        ResourceSorter.Sort(resources, sortOptions);
        return Render(resources);
    }

    /// <summary>The built objects (before sorting), for callers that apply them rather than print them.</summary>
    public static IReadOnlyList<YMap> BuildObjects(string directory, TextWriter warnings)
    {
        var resources = BuildResources(directory, warnings, out var sortOptions);
        ResourceSorter.Sort(resources, sortOptions);
        return resources.Items.Select(r => r.Node).ToList();
    }

    private static ResourceList BuildResources(string directory, TextWriter warnings, out YMap? sortOptions)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/');
        if (root.Length == 0)
        {
            root = "/";
        }
        if (!Directory.Exists(root))
        {
            if (File.Exists(root))
            {
                throw new KustomizeException($"must build at directory: '{root}': file is not directory");
            }
            throw new KustomizeException($"must build at directory: not a valid directory: evalsymlink failure on '{root}' : lstat {root}: no such file or directory");
        }
        var target = KustTarget.Open(root, warnings, []);
        var resources = target.Accumulate();
        foreach (var r in resources.Items.Where(r => r.NeedsHash))
        {
            r.SetName(r.Name + "-" + NameHasher.Hash(r.Node));
        }
        NameReferenceFixer.Fix(resources);
        sortOptions = target.Kustomization.Root.GetMap("sortOptions");
        return resources;
    }

    private static string Render(ResourceList resources)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < resources.Items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append("---\n");
            }
            YamlWriter.WriteDocument(sb, resources.Items[i].Node);
        }
        return sb.ToString();
    }
}
