namespace Timonel.Kustomize.Model;

/// <summary>The ordered resources of a build: kustomize's ResMap. Order is the order resources were added.</summary>
public sealed class ResourceList
{
    public List<Resource> Items { get; } = [];

    /// <summary>Adds a resource; its current id must not be taken (resWrangler.Append).</summary>
    public void Append(Resource r)
    {
        var id = r.Id;
        if (Items.Any(x => SameCurrentId(x.Id, id)))
        {
            throw new KustomizeException($"may not add resource with an already registered id: {id}");
        }
        Items.Add(r);
    }

    public void AppendAll(ResourceList other)
    {
        foreach (var r in other.Items)
        {
            Append(r);
        }
    }

    private static bool SameCurrentId(ResId a, ResId b) =>
        a.Kind == b.Kind && a.Group == b.Group && a.Version == b.Version && a.Name == b.Name && Resource.NamespacesEqual(a.Namespace, b.Namespace);

    /// <summary>Resources any of whose ids (current or earlier) match kind, group, name and namespace.</summary>
    public List<Resource> FindByAnyId(ResId id) =>
        Items.Where(r => r.Kind == id.Kind && (id.Group.Length == 0 || r.Group == id.Group) && (id.Version.Length == 0 || r.Version == id.Version)
            && r.HadId(id.Name, id.Namespace)).ToList();
}
