using System.Text.RegularExpressions;

namespace Timonel.Controllers.Volume;

/// <summary>A StorageClass named <see cref="Name"/> made as a copy of the class <see cref="Target"/> (<c>--storage-class-alias NAME=CLASS</c>).</summary>
public sealed partial record StorageClassAlias(string Name, string Target)
{
    /// <summary>Parses <c>NAME=CLASS</c>; anything else, or a name that is no DNS subdomain, is a <see cref="FormatException"/>.</summary>
    public static StorageClassAlias Parse(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !IsClassName(parts[0]) || !IsClassName(parts[1]))
        {
            throw new FormatException($"invalid argument \"{text}\" for \"--storage-class-alias\" flag: expected NAME=CLASS, both StorageClass names (lower case alphanumeric characters, '-' or '.')");
        }

        if (parts[0] == parts[1])
        {
            throw new FormatException($"invalid argument \"{text}\" for \"--storage-class-alias\" flag: a class cannot be an alias of itself");
        }

        return new StorageClassAlias(parts[0], parts[1]);
    }

    private static bool IsClassName(string name) => name.Length <= 253 && DnsSubdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
