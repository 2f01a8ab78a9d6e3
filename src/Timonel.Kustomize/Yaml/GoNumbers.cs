using System.Globalization;
using System.Numerics;

namespace Timonel.Kustomize.Yaml;

/// <summary>Go's number syntax and formatting, as far as YAML resolution and JSON round trips need them.</summary>
public static class GoNumbers
{
    /// <summary>strconv.ParseInt(s, 0, 64) (falling back to ParseUint): sign, 0x/0o/0b prefixes, leading-zero octal.</summary>
    public static bool TryParseInt(string s, out string decimalText)
    {
        decimalText = "";
        if (s.Length == 0)
        {
            return false;
        }
        var negative = false;
        var i = 0;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }
        var body = s[i..];
        var radix = 10;
        if (body.Length > 1 && body[0] == '0')
        {
            switch (body[1])
            {
                case 'x' or 'X':
                    radix = 16;
                    body = body[2..];
                    break;
                case 'o' or 'O':
                    radix = 8;
                    body = body[2..];
                    break;
                case 'b' or 'B':
                    radix = 2;
                    body = body[2..];
                    break;
                default:
                    radix = 8;
                    body = body[1..];
                    break;
            }
        }
        if (body.Length == 0)
        {
            return false;
        }
        BigInteger value = 0;
        foreach (var ch in body)
        {
            var d = ch switch
            {
                >= '0' and <= '9' => ch - '0',
                >= 'a' and <= 'f' => ch - 'a' + 10,
                >= 'A' and <= 'F' => ch - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }
            value = (value * radix) + d;
        }
        if (negative)
        {
            value = -value;
        }
        if (value < long.MinValue || value > ulong.MaxValue || (negative && value > 0))
        {
            return false;
        }
        decimalText = value.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// What a float becomes after kustomize's output round trip: encoding/json writes it, then go-yaml v2 reads the
    /// JSON back (an integral value becomes an int) and writes it with strconv 'g' formatting.
    /// </summary>
    public static string FloatForOutput(string text)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return ".inf";
            case "-.inf" or "-.Inf" or "-.INF":
                return "-.inf";
            case ".nan" or ".NaN" or ".NAN":
                return ".nan";
        }
        var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (d == Math.Floor(d) && Math.Abs(d) < 1e21)
        {
            var big = new BigInteger(d);
            if (big >= long.MinValue && big <= ulong.MaxValue)
            {
                return big.ToString(CultureInfo.InvariantCulture);
            }
        }
        return FormatG(d);
    }

    /// <summary>strconv.FormatFloat(d, 'g', -1, 64).</summary>
    public static string FormatG(double d)
    {
        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }
        // "R" gives the shortest round-trip digits, which is what Go's precision -1 means.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        // Split the shortest form into its digits and decimal exponent.
        string mantissa;
        int exp10;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            mantissa = shortest[..ePos];
            exp10 = int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = shortest;
            exp10 = 0;
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        // Position of the decimal point relative to the start of the significant digits.
        var dp = intPart.Length + exp10 - leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }
        var sign = d < 0 ? "-" : "";
        var exp = dp - 1;
        // Go switches to the exponent form below 1e-4 and, for the shortest form, from 1e6 up.
        if (exp < -4 || exp >= 6)
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            var es = exp < 0 ? "-" : "+";
            var ea = Math.Abs(exp);
            return sign + m + "e" + es + (ea < 10 ? "0" : "") + ea.ToString(CultureInfo.InvariantCulture);
        }
        if (dp <= 0)
        {
            return sign + "0." + new string('0', -dp) + digits;
        }
        if (dp >= digits.Length)
        {
            return sign + digits + new string('0', dp - digits.Length);
        }
        return sign + digits[..dp] + "." + digits[dp..];
    }
}
