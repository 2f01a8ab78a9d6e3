using System.Globalization;
using System.Text.RegularExpressions;

namespace Timonel.Api.Validation;

/// <summary>
/// String format checks with upstream's exact messages, as apimachinery's
/// pkg/util/validation/validation.go (Kubernetes 1.32). Each returns the list of problems; empty means valid.
/// </summary>
public static partial class NameValidation
{
    /// <summary>Maximum length of a DNS-1123 label (63).</summary>
    public const int Dns1123LabelMaxLength = 63;

    /// <summary>Maximum length of a DNS-1123 subdomain (253).</summary>
    public const int Dns1123SubdomainMaxLength = 253;

    /// <summary>Maximum length of a DNS-1035 label (63).</summary>
    public const int Dns1035LabelMaxLength = 63;

    /// <summary>Maximum length of a label value (63).</summary>
    public const int LabelValueMaxLength = 63;

    private const int QualifiedNameMaxLength = 63;

    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private const string QualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFmt = "(" + QualifiedNameFmt + ")?";
    private const string LabelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string ConfigMapKeyFmt = "[-._a-zA-Z0-9]+";
    private const string ConfigMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
    private const string EnvVarNameFmt = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private const string EnvVarNameErrMsg = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
    private const string PercentFmt = "[0-9]+%";
    private const string PercentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";

    // Go's "$" means end of text; .NET's would also accept a trailing newline, so anchor with \z. Source-generated:
    // these run on every name, label and key of every write, where the regex interpreter showed in profiles.
    [GeneratedRegex("^(?:" + Dns1123LabelFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^(?:" + Dns1123SubdomainFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^(?:" + Dns1035LabelFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035LabelRegex();

    [GeneratedRegex("^(?:" + QualifiedNameFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^(?:" + LabelValueFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^(?:" + ConfigMapKeyFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex("^(?:" + EnvVarNameFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarNameRegex();

    [GeneratedRegex("^(?:" + PercentFmt + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PercentRegex();

    [GeneratedRegex("^(?:" + "[-a-z0-9]+" + ")\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PortNameCharsetRegex();

    [GeneratedRegex("[a-z]", RegexOptions.CultureInvariant)]
    private static partial Regex PortNameLetterRegex();

    /// <summary>A DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters.</summary>
    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength)
        {
            errors.Add(MaxLenError(Dns1123LabelMaxLength));
        }
        if (!Dns1123LabelRegex().IsMatch(value))
        {
            // A valid subdomain that is not a label can only be failing on its dots (length was checked).
            errors.Add(Dns1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots"
                : RegexError(Dns1123LabelErrMsg, Dns1123LabelFmt, "my-name", "123-abc"));
        }
        return errors;
    }

    /// <summary>A DNS-1123 subdomain: dot-separated labels, at most 253 characters (most object names).</summary>
    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }
        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(RegexError(Dns1123SubdomainErrMsg, Dns1123SubdomainFmt, "example.com"));
        }
        return errors;
    }

    /// <summary>A DNS-1035 label: starts with a letter (Service names).</summary>
    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1035LabelMaxLength)
        {
            errors.Add(MaxLenError(Dns1035LabelMaxLength));
        }
        if (!Dns1035LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError(Dns1035LabelErrMsg, Dns1035LabelFmt, "my-name", "abc-123"));
        }
        return errors;
    }

    /// <summary>A "qualified name" (label and annotation keys): optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static IReadOnlyList<string> IsQualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part " + EmptyError());
                }
                else
                {
                    errors.AddRange(IsDns1123Subdomain(prefix).Select(m => "prefix part " + m));
                }
                break;
            default:
                errors.Add("a qualified name " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }
        if (name.Length == 0)
        {
            errors.Add("name part " + EmptyError());
        }
        else if (name.Length > QualifiedNameMaxLength)
        {
            errors.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        }
        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameErrMsg, QualifiedNameFmt, "MyName", "my.name", "123-abc"));
        }
        return errors;
    }

    /// <summary>A label value: empty, or a qualified-name-like string of at most 63 characters.</summary>
    public static IReadOnlyList<string> IsValidLabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLenError(LabelValueMaxLength));
        }
        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError(LabelValueErrMsg, LabelValueFmt, "MyValue", "my_value", "12345"));
        }
        return errors;
    }

    /// <summary>A ConfigMap or Secret data key.</summary>
    public static IReadOnlyList<string> IsConfigMapKey(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength)
        {
            errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        }
        if (!ConfigMapKeyRegex().IsMatch(value))
        {
            errors.Add(RegexError(ConfigMapKeyErrMsg, ConfigMapKeyFmt, "key.name", "KEY_NAME", "key-name"));
        }
        errors.AddRange(ChDirPrefixErrors(value));
        return errors;
    }

    /// <summary>An environment variable name.</summary>
    public static IReadOnlyList<string> IsEnvVarName(string value)
    {
        var errors = new List<string>();
        if (!EnvVarNameRegex().IsMatch(value))
        {
            errors.Add(RegexError(EnvVarNameErrMsg, EnvVarNameFmt, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        errors.AddRange(ChDirPrefixErrors(value));
        return errors;
    }

    /// <summary>A port number in 1..65535.</summary>
    public static IReadOnlyList<string> IsValidPortNum(long port) =>
        port is >= 1 and <= 65535 ? [] : [InclusiveRangeError(1, 65535)];

    /// <summary>An IANA service port name: at most 15 of [-a-z0-9], at least one letter, no '--', no leading or trailing '-'.</summary>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        var errors = new List<string>();
        if (port.Length > 15)
        {
            errors.Add(MaxLenError(15));
        }
        if (!PortNameCharsetRegex().IsMatch(port))
        {
            errors.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!PortNameLetterRegex().IsMatch(port))
        {
            errors.Add("must contain at least one letter (a-z)");
        }
        if (port.Contains("--", StringComparison.Ordinal))
        {
            errors.Add("must not contain consecutive hyphens");
        }
        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            errors.Add("must not begin or end with a hyphen");
        }
        return errors;
    }

    /// <summary>A Unix user ID in 0..2^31-1 (IsValidUserID; libcontainer's limit).</summary>
    public static IReadOnlyList<string> IsValidUserId(long uid) =>
        uid is >= 0 and <= int.MaxValue ? [] : [InclusiveRangeError(0, int.MaxValue)];

    /// <summary>A Unix group ID in 0..2^31-1 (IsValidGroupID).</summary>
    public static IReadOnlyList<string> IsValidGroupId(long gid) => IsValidUserId(gid);

    /// <summary>
    /// A name that is safe as one URL path segment (apimachinery's path.IsValidPathSegmentName): not "." or "..",
    /// without '/' or '%'. RBAC objects use it for their names.
    /// </summary>
    public static IReadOnlyList<string> IsValidPathSegmentName(string name)
    {
        if (name is "." or "..")
        {
            return ["may not be '" + name + "'"];
        }

        var errors = new List<string>();
        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add("may not contain '" + illegal + "'");
            }
        }

        return errors;
    }

    /// <summary>A percentage such as <c>25%</c>.</summary>
    public static IReadOnlyList<string> IsValidPercent(string value) =>
        PercentRegex().IsMatch(value) ? [] : [RegexError(PercentErrMsg, PercentFmt, "1%", "93%")];

    /// <summary>Name check for objects whose names are DNS subdomains; <paramref name="prefix"/> allows a trailing '-' (generateName).</summary>
    public static IReadOnlyList<string> NameIsDnsSubdomain(string name, bool prefix) => IsDns1123Subdomain(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Name check for objects whose names are DNS-1123 labels (namespaces).</summary>
    public static IReadOnlyList<string> NameIsDnsLabel(string name, bool prefix) => IsDns1123Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Name check for objects whose names are DNS-1035 labels (services).</summary>
    public static IReadOnlyList<string> NameIsDns1035Label(string name, bool prefix) => IsDns1035Label(prefix ? MaskTrailingDash(name) : name);

    /// <summary>Upstream's "must be no more than N characters".</summary>
    public static string MaxLenError(int length) => string.Create(CultureInfo.InvariantCulture, $"must be no more than {length} characters");

    /// <summary>Upstream's "must be non-empty".</summary>
    public static string EmptyError() => "must be non-empty";

    /// <summary>Upstream's "must be between lo and hi, inclusive".</summary>
    public static string InclusiveRangeError(long lo, long hi) => string.Create(CultureInfo.InvariantCulture, $"must be between {lo} and {hi}, inclusive");

    /// <summary>Upstream's regex failure text: message, examples and the regex.</summary>
    public static string RegexError(string message, string format, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return message + " (regex used for validation is '" + format + "')";
        }
        var quoted = string.Concat(examples.Select((e, i) => (i > 0 ? " or " : string.Empty) + "'" + e + "', "));
        return message + " (e.g. " + quoted + "regex used for validation is '" + format + "')";
    }

    // A generated name gets a random suffix, so a trailing '-' is fine; upstream masks it before checking.
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    private static IEnumerable<string> ChDirPrefixErrors(string value)
    {
        if (value == ".")
        {
            yield return "must not be '.'";
        }
        else if (value == "..")
        {
            yield return "must not be '..'";
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }
}
