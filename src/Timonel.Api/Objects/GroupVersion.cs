namespace Timonel.Api.Objects;

/// <summary>An API group and version, e.g. <c>apps/v1</c>; the core group has an empty <see cref="Group"/> (<c>v1</c>).</summary>
public sealed record GroupVersion(string Group, string Version)
{
    /// <summary>The apiVersion string: <c>group/version</c>, or just <c>version</c> for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>
    /// Parses an apiVersion as upstream's schema.ParseGroupVersion: "" is the empty group version,
    /// "v1" the core group, "g/v" a named group; more than one '/' is an error.
    /// </summary>
    public static GroupVersion Parse(string apiVersion)
    {
        if (apiVersion.Length == 0 || apiVersion == "/")
        {
            return new GroupVersion(string.Empty, string.Empty);
        }
        var parts = apiVersion.Split('/');
        return parts.Length switch
        {
            1 => new GroupVersion(string.Empty, apiVersion),
            2 => new GroupVersion(parts[0], parts[1]),
            _ => throw new FormatException($"unexpected GroupVersion string: {apiVersion}"),
        };
    }

    /// <summary>The apiVersion string.</summary>
    public override string ToString() => ApiVersion;
}
