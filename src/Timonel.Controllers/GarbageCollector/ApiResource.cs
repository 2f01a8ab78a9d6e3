namespace Timonel.Controllers.GarbageCollector;

/// <summary>A resource as discovery lists it: what an owner reference's apiVersion and kind map to.</summary>
/// <param name="GroupVersion">"v1" for the core group, else "group/version".</param>
/// <param name="Resource">The plural name in URLs, e.g. "replicasets".</param>
public sealed record ApiResource(string GroupVersion, string Kind, string Resource, bool Namespaced)
{
    /// <summary>The URL path of an object of this resource (or of its collection when <paramref name="name"/> is null).</summary>
    public string PathOf(string? ns, string? name)
    {
        var path = (GroupVersion.Contains('/', StringComparison.Ordinal) ? "/apis/" : "/api/") + GroupVersion;
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            path += "/namespaces/" + Uri.EscapeDataString(ns);
        }

        path += "/" + Resource;
        return name is null ? path : path + "/" + Uri.EscapeDataString(name);
    }
}
