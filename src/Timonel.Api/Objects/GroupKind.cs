namespace Timonel.Api.Objects;

/// <summary>A kind in a group, without version; renders as upstream's GroupKind: <c>Deployment.apps</c>, <c>Pod</c>.</summary>
public sealed record GroupKind(string Group, string Kind)
{
    /// <summary><c>Kind.group</c>, or just <c>Kind</c> for the core group.</summary>
    public override string ToString() => Group.Length == 0 ? Kind : Kind + "." + Group;
}
