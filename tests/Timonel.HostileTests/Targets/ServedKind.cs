namespace Timonel.HostileTests.Targets;

/// <summary>One top-level resource the server lists in discovery, with what the suite needs to address it.</summary>
internal sealed record ServedKind(string GroupVersion, string Resource, string Kind, bool Namespaced, IReadOnlySet<string> Verbs)
{
    /// <summary>"v1" for the core group, else the group's version ("v1" of "apps/v1"): what upstream's decode errors name.</summary>
    public string Version => GroupVersion.Contains('/', StringComparison.Ordinal) ? GroupVersion.Split('/')[1] : GroupVersion;

    /// <summary>The collection path; namespaced kinds live in the suite's namespace ({ns}).</summary>
    public string CollectionPath => (GroupVersion.Contains('/', StringComparison.Ordinal) ? "/apis/" : "/api/") + GroupVersion
        + (Namespaced ? "/namespaces/{ns}/" : "/") + Resource;

    public bool Can(string verb) => Verbs.Contains(verb);

    public override string ToString() => $"{GroupVersion}/{Resource}";
}
