using System.Text.RegularExpressions;

namespace Timonel.Kustomize.Yaml;

/// <summary>
/// Whether go-yaml v2 may write a string plain: only if reading it back gives a string again (its resolve table
/// is YAML 1.1: yes/no/on/off/y/n are booleans, Go integers, floats, timestamps, base-60 floats).
/// </summary>
public static partial class PlainResolver
{
    private static readonly HashSet<string> _reserved =
    [
        "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
    ];

    public static bool ResolvesToString(string s)
    {
        if (_reserved.Contains(s))
        {
            return false;
        }
        var c = s[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return true;
        }
        if (TimestampRegex().IsMatch(s) || Base60Regex().IsMatch(s))
        {
            return false;
        }
        var plain = s.Replace("_", "");
        if (GoNumbers.TryParseInt(plain, out _) || FloatRegex().IsMatch(plain))
        {
            return false;
        }
        return true;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();

    // go-yaml v2 isBase60Float.
    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60Regex();

    // The layouts go-yaml v2 parseTimestamp accepts: "2006-1-2T15:4:5.999999999Z07:00", with 't' or ' ', or a date.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]| +)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]+)?( *(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$")]
    private static partial Regex TimestampRegex();
}
