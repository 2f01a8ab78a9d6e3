namespace Timonel.Api.Objects;

/// <summary>A resource in a group, without version; renders as upstream's GroupResource: <c>deployments.apps</c>, <c>pods</c>.</summary>
public sealed record GroupResource(string Group, string Resource)
{
    /// <summary><c>resource.group</c>, or just <c>resource</c> for the core group (used in NotFound/AlreadyExists messages).</summary>
    public override string ToString() => Group.Length == 0 ? Resource : Resource + "." + Group;
}
