namespace Timonel.Kustomize.Loading;

/// <summary>Reads files named relative to a kustomization root, refusing paths outside it as kustomize does.</summary>
public sealed class FileSource
{
    public FileSource(string root) => Root = root;

    public string Root { get; }

    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public string ReadText(string relative)
    {
        var full = FullPath(relative);
        if (!full.StartsWith(Root.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            // fLdr.RestrictionRootOnly (api/internal/loader/fileloader.go)
            throw new KustomizeException($"security; file '{full}' is not in or below '{Root}'");
        }
        if (!File.Exists(full))
        {
            throw new KustomizeException($"open {full}: no such file or directory");
        }
        return File.ReadAllText(full);
    }

    public bool Exists(string relative) => File.Exists(FullPath(relative));
}
