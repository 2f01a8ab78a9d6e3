namespace Timonel.Api.Objects;

/// <summary>A resource (plural, lowercase) in a group version, e.g. (apps, v1, deployments).</summary>
public sealed record GroupVersionResource(string Group, string Version, string Resource)
{
    /// <summary>The group and version.</summary>
    public GroupVersion GroupVersion => new(Group, Version);

    /// <summary>The group and resource, without version.</summary>
    public GroupResource GroupResource => new(Group, Resource);

    /// <summary>Upstream's rendering: <c>apps/v1, Resource=deployments</c>.</summary>
    public override string ToString() => Group + "/" + Version + ", Resource=" + Resource;
}
