using Timonel.Kustomize.Generators;
using Timonel.Kustomize.Model;
using Timonel.Kustomize.Transformers;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Loading;

/// <summary>
/// One kustomization directory being built (kustomize's KustTarget.accumulateTarget): resources, generators,
/// components, then this level's transformers, in that order.
/// </summary>
internal sealed class KustTarget
{
    private readonly string _root;
    private readonly TextWriter _warnings;
    private readonly IReadOnlyList<string> _visited;

    public KustTarget(string root, TextWriter warnings, IReadOnlyList<string> visited, KustomizationFile kustomization)
    {
        _root = root;
        _warnings = warnings;
        _visited = visited;
        Kustomization = kustomization;
    }

    public KustomizationFile Kustomization { get; }

    public static KustTarget Open(string root, TextWriter warnings, IReadOnlyList<string> visited) =>
        new(root, warnings, visited, KustomizationFile.Load(root, warnings));

    /// <summary>Builds this level into the given list (components add to their parent's list).</summary>
    public ResourceList Accumulate(ResourceList? into = null)
    {
        var ra = into ?? new ResourceList();
        AccumulateResources(ra);
        Generators.GeneratorRunner.Run(Kustomization, new FileSource(_root), ra);
        foreach (var component in Kustomization.GetStrings("components"))
        {
            AccumulateComponent(ra, component);
        }
        TransformerRunner.Run(Kustomization, new FileSource(_root), ra, _warnings);
        return ra;
    }

    private void AccumulateResources(ResourceList ra)
    {
        var paths = Kustomization.GetStrings("resources").Concat(Kustomization.GetStrings("bases"));
        foreach (var entry in paths)
        {
            var full = Path.GetFullPath(Path.Combine(_root, entry));
            try
            {
                if (File.Exists(full))
                {
                    AccumulateFile(ra, entry, full);
                }
                else if (Directory.Exists(full))
                {
                    AccumulateDirectory(ra, entry, full);
                }
                else
                {
                    var missing = $"evalsymlink failure on '{full}' : lstat {full}: no such file or directory";
                    throw new KustomizeException($"accumulation err='accumulating resources from '{entry}': {missing}': must build at directory: not a valid directory: {missing}");
                }
            }
            catch (KustomizeException e)
            {
                throw new KustomizeException("accumulating resources: " + e.Message, e);
            }
        }
    }

    private void AccumulateFile(ResourceList ra, string entry, string full)
    {
        var notDir = $"must build at directory: '{full}': file is not directory";
        if (!IsUnder(full, _root))
        {
            throw new KustomizeException($"accumulation err='accumulating resources from '{entry}': security; file '{full}' is not in or below '{_root}'': {notDir}");
        }
        try
        {
            foreach (var r in ResourceReader.Read(File.ReadAllText(full)))
            {
                ra.Append(r);
            }
        }
        catch (KustomizeException e)
        {
            throw new KustomizeException($"accumulation err='merging resources from '{entry}': {e.Message}': {notDir}");
        }
    }

    private void AccumulateDirectory(ResourceList ra, string entry, string full)
    {
        var prefix = $"accumulation err='accumulating resources from '{entry}': '{full}' must resolve to a file': ";
        // fileloader.New: a root that contains one already being built is a cycle (nearest root checked first).
        foreach (var v in _visited.Append(_root).Reverse())
        {
            if (IsUnder(v, full) || v == full)
            {
                throw new KustomizeException(prefix + $"cycle detected: candidate root '{full}' contains visited root '{v}'");
            }
        }
        KustTarget sub;
        try
        {
            sub = Open(full, _warnings, [.. _visited, _root]);
        }
        catch (KustomizeException e)
        {
            throw new KustomizeException(prefix + $"couldn't make target for path '{full}': {e.Message}");
        }
        try
        {
            if (sub.Kustomization.IsComponent)
            {
                throw new KustomizeException($"expected kind 'Kustomization' for path '{full}' but got 'Component'");
            }
            ra.AppendAll(sub.Accumulate());
        }
        catch (KustomizeException e)
        {
            throw new KustomizeException(prefix + $"recursed accumulation of path '{full}': {e.Message}");
        }
    }

    private void AccumulateComponent(ResourceList ra, string entry)
    {
        var full = Path.GetFullPath(Path.Combine(_root, entry));
        try
        {
            if (!Directory.Exists(full))
            {
                throw new KustomizeException($"must build at directory: not a valid directory: evalsymlink failure on '{full}' : lstat {full}: no such file or directory");
            }
            var sub = Open(full, _warnings, [.. _visited, _root]);
            if (!sub.Kustomization.IsComponent)
            {
                throw new KustomizeException($"expected kind 'Component' for path '{full}' but got 'Kustomization'");
            }
            sub.Accumulate(ra);
        }
        catch (KustomizeException e)
        {
            throw new KustomizeException($"accumulating components: accumulation err='accumulating components from '{entry}': {e.Message}'", e);
        }
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    internal static YMap? ParseMap(string text) => YamlReader.ReadOne(text) as YMap;
}
