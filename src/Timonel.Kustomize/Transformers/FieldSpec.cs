using Timonel.Kustomize.Model;

namespace Timonel.Kustomize.Transformers;

/// <summary>Where a transformer writes: a path in objects of a kind (kustomize's types.FieldSpec).</summary>
public sealed record FieldSpec(string Path, bool Create = false, string Kind = "", string Group = "", string Version = "")
{
    public bool Matches(Resource r) =>
        (Kind.Length == 0 || Kind == r.Kind) && (Group.Length == 0 || Group == r.Group) && (Version.Length == 0 || Version == r.Version);

    /// <summary>Splits a path on '/', keeping "\/" escaped slashes inside a segment (annotation names).</summary>
    public static List<string> SplitPath(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length && path[i + 1] == '/')
            {
                current.Append('/');
                i++;
            }
            else if (path[i] == '/')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(path[i]);
            }
        }
        parts.Add(current.ToString());
        return parts;
    }
}
