namespace Timonel.Api.Objects;

/// <summary>A kind in a group version, e.g. (apps, v1, Deployment).</summary>
public sealed record GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary>The apiVersion string of this kind: <c>apps/v1</c> or <c>v1</c>.</summary>
    public string ApiVersion => new GroupVersion(Group, Version).ApiVersion;

    /// <summary>The group and version.</summary>
    public GroupVersion GroupVersion => new(Group, Version);

    /// <summary>The group and kind, without version.</summary>
    public GroupKind GroupKind => new(Group, Kind);

    /// <summary>Builds a GVK from an object's apiVersion and kind fields, as schema.FromAPIVersionAndKind.</summary>
    public static GroupVersionKind FromApiVersionAndKind(string apiVersion, string kind)
    {
        var gv = GroupVersion.Parse(apiVersion);
        return new GroupVersionKind(gv.Group, gv.Version, kind);
    }

    /// <summary>Upstream's rendering: <c>apps/v1, Kind=Deployment</c> (<c>/v1, Kind=Pod</c> for core).</summary>
    public override string ToString() => Group + "/" + Version + ", Kind=" + Kind;
}
