namespace Timonel.Kustomize.Model;

/// <summary>Group, version, kind, name and namespace of a resource: kustomize's resid.ResId.</summary>
public sealed record ResId(string Group, string Version, string Kind, string Name, string Namespace)
{
    /// <summary>The form kustomize prints in errors (resid.ResId.String): Kind.version.group/name.namespace.</summary>
    public override string ToString()
    {
        var version = Version.Length == 0 ? "[noVer]" : Version;
        var group = Group.Length == 0 ? "[noGrp]" : Group;
        var ns = Namespace.Length == 0 ? "[noNs]" : Namespace;
        return $"{Kind}.{version}.{group}/{Name}.{ns}";
    }
}
