using System.Globalization;
using System.Text;

namespace Timonel.Api.Protobuf;

/// <summary>Go's time.Duration text form, which meta/v1 Duration uses in JSON ("1h0m0s", "1.5s", "300ms").</summary>
public static class GoDuration
{
    private const ulong Microsecond = 1_000;
    private const ulong Millisecond = 1_000_000;
    private const ulong Second = 1_000_000_000;

    /// <summary>Formats nanoseconds as Go's Duration.String does (go/src/time/time.go).</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }
        var sign = nanoseconds < 0 ? "-" : "";
        var u = nanoseconds < 0 ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        if (u < Microsecond)
        {
            return sign + u.ToString(CultureInfo.InvariantCulture) + "ns";
        }
        if (u < Millisecond)
        {
            return sign + Fraction(u, 3) + "\u00b5s";
        }
        if (u < Second)
        {
            return sign + Fraction(u, 6) + "ms";
        }
        var text = new StringBuilder(sign);
        var minutes = u / Second / 60;
        if (minutes >= 60)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes / 60}h");
        }
        if (minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{minutes % 60}m");
        }
        return text.Append(Fraction(u % (60 * Second), 9)).Append('s').ToString();
    }

    /// <summary>Parses Go duration text ("1h2m3.5s", "-300ms", "0") into nanoseconds, as time.ParseDuration.</summary>
    public static long Parse(string text)
    {
        var position = 0;
        var negative = false;
        if (text.Length > 0 && text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            position++;
        }
        if (text[position..] == "0")
        {
            return 0;
        }
        if (position == text.Length)
        {
            throw new FormatException($"invalid duration \"{text}\"");
        }
        decimal total = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }
            var number = text[start..position];
            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
            {
                position++;
            }
            var unit = text[unitStart..position] switch
            {
                "ns" => 1m,
                "us" or "\u00b5s" or "\u03bcs" => Microsecond,
                "ms" => Millisecond,
                "s" => Second,
                "m" => 60m * Second,
                "h" => 3600m * Second,
                _ => throw new FormatException($"invalid duration \"{text}\""),
            };
            if (number.Length == 0 || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"invalid duration \"{text}\"");
            }
            total += value * unit;
        }
        var nanoseconds = (long)decimal.Truncate(total);
        return negative ? -nanoseconds : nanoseconds;
    }

    /// <summary>value / 10^digits with the fraction's trailing zeros (and a bare point) dropped.</summary>
    private static string Fraction(ulong value, int digits)
    {
        var scale = (ulong)Math.Pow(10, digits);
        var fraction = (value % scale).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
