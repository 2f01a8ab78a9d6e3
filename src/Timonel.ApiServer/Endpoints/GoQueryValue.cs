using System.Globalization;
using Timonel.Api.Validation;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Query parameter values converted as upstream's parameter codec converts them (apimachinery pkg/runtime
/// conversion.go: Convert_Slice_string_To_int64, Convert_Slice_string_To_bool and their pointer forms): numbers
/// through strconv.ParseInt, whose error text becomes the 400's message, and Go's lenient booleans.
/// </summary>
public static class GoQueryValue
{
    /// <summary>strconv.ParseInt(text, 10, 64); "" is invalid syntax too, as upstream's decoder finds it.</summary>
    public static long ParseInt64(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        var reason = IsSignedDigits(text) ? "value out of range" : "invalid syntax";
        throw StatusException.BadRequest($"strconv.ParseInt: parsing {GoValue.Quote(text)}: {reason}");
    }

    /// <summary>Only "0" and "false" (any case) are false; anything else, the empty string included, is true.</summary>
    public static bool Bool(string text) => !(text == "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase));

    private static bool IsSignedDigits(string text)
    {
        var digits = text.AsSpan(text.StartsWith('-') || text.StartsWith('+') ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }
}
