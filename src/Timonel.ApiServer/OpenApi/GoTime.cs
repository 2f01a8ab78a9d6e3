using System.Globalization;
using System.Text;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Go's time.Parse(time.RFC3339, s) and time.Parse(RFC3339Micro, s), which metav1.Time's and MicroTime's UnmarshalJSON
/// call (apimachinery/pkg/apis/meta/v1/time.go, micro_time.go): the layout is read chunk by chunk, and the first chunk
/// the value does not match is named in the error as Go names it (time/format.go Parse and ParseError).
/// </summary>
internal static class GoTime
{
    // time.RFC3339 and metav1.RFC3339Micro.
    private const string Layout = "2006-01-02T15:04:05Z07:00";
    private const string MicroLayout = "2006-01-02T15:04:05.000000Z07:00";

    // RFC3339Micro's stdFracSecond0 element: a period or comma and exactly six digits.
    private const int MicroDigits = 6;

    /// <summary>Go's error text for a string that does not parse in the layout (RFC3339Micro when micro), or null.</summary>
    public static string? Error(string value, bool micro) => IsPlainRfc3339(value, micro) ? null : new Parser(value, micro).Run();

    /// <summary>
    /// The shape servers and clients write ("2024-01-02T15:04:05Z", "...05.123456+01:00") with its fields in range,
    /// checked without allocating: the parser, which words the errors, runs only for anything else.
    /// </summary>
    private static bool IsPlainRfc3339(string s, bool micro)
    {
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TwoDigits(s, 0, out var century) || !TwoDigits(s, 2, out var yearOfCentury) || !TwoDigits(s, 5, out var month)
            || !TwoDigits(s, 8, out var day) || !TwoDigits(s, 11, out var hour) || !TwoDigits(s, 14, out var minute) || !TwoDigits(s, 17, out var second))
        {
            return false;
        }

        var year = (century * 100) + yearOfCentury;
        if (year == 0 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var i = 19;
        if (s[i] == '.' && IsDigit(s, i + 1))
        {
            i++;
            while (IsDigit(s, i))
            {
                i++;
            }
        }

        if (micro && i != 20 + MicroDigits)
        {
            return false;
        }

        return (s.Length == i + 1 && s[i] == 'Z')
            || (s.Length == i + 6 && s[i] is '+' or '-' && s[i + 3] == ':' && TwoDigits(s, i + 1, out var zoneHour) && TwoDigits(s, i + 4, out var zoneMinute) && zoneHour <= 24 && zoneMinute <= 60);
    }

    private static bool TwoDigits(string s, int i, out int number)
    {
        number = IsDigit(s, i) && IsDigit(s, i + 1) ? ((s[i] - '0') * 10) + s[i + 1] - '0' : -1;
        return number >= 0;
    }

    private static bool IsDigit(string s, int i) => i < s.Length && s[i] is >= '0' and <= '9';

    /// <summary>time/format.go getnum: one or two digits, exactly two when fixed.</summary>
    private static bool GetNum(ref string s, bool fixedWidth, out int number)
    {
        number = 0;
        if (!IsDigit(s, 0) || (fixedWidth && !IsDigit(s, 1)))
        {
            return false;
        }

        var width = IsDigit(s, 1) ? 2 : 1;
        number = int.Parse(s.AsSpan(0, width), CultureInfo.InvariantCulture);
        s = s[width..];
        return true;
    }

    /// <summary>time/format.go quote: backslash before '"' and '\', \xNN for each byte of a control or non-ASCII rune.</summary>
    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in s.EnumerateRunes())
        {
            if (rune.Value is < ' ' or >= 0x80)
            {
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
                }

                continue;
            }

            if (rune.Value is '"' or '\\')
            {
                text.Append('\\');
            }

            text.Append(rune.ToString());
        }

        return text.Append('"').ToString();
    }

    private sealed class Parser(string input, bool micro)
    {
        private readonly string _input = input;
        private readonly bool _micro = micro;
        private string _value = input;
        private int _year;
        private int _month;
        private int _day;

        public string? Run()
        {
            return Chunk("", "2006", Year)
                ?? Chunk("-", "01", () => Number(true, 1, 12, "month", out _month))
                ?? Chunk("-", "02", () => Number(true, 0, 99, null, out _day))
                ?? Chunk("T", "15", () => Number(false, 0, 23, "hour", out _))
                ?? Chunk(":", "04", () => Number(true, 0, 59, "minute", out _))
                ?? Chunk(":", "05", Seconds)
                ?? (_micro ? Chunk("", ".000000", Fraction) : null)
                ?? Chunk("", "Z07:00", Zone)
                ?? End();
        }

        private string? End()
        {
            if (_value.Length != 0)
            {
                return $"parsing time {Quote(_input)}: extra text: {Quote(_value)}";
            }

            return _day < 1 || _day > DateTime.DaysInMonth(Math.Max(_year, 1), _month) ? $"parsing time {Quote(_input)}: day out of range" : null;
        }

        /// <summary>A literal prefix then one element of the layout; the element reports a range error or false.</summary>
        private string? Chunk(string prefix, string element, Func<Result> parse)
        {
            if (prefix.Length > 0)
            {
                if (!_value.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return CannotParse(_value, prefix);
                }

                _value = _value[prefix.Length..];
            }

            var hold = _value;
            var result = parse();
            return result.Range is { } range ? $"parsing time {Quote(_input)}: {range} out of range"
                : result.Ok ? null
                : CannotParse(hold, element);
        }

        private string CannotParse(string valueElement, string layoutElement) =>
            $"parsing time {Quote(_input)} as {Quote(_micro ? MicroLayout : Layout)}: cannot parse {Quote(valueElement)} as {Quote(layoutElement)}";

        private Result Year()
        {
            if (_value.Length < 4 || _value.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9'))
            {
                return Result.Bad;
            }

            _year = int.Parse(_value.AsSpan(0, 4), CultureInfo.InvariantCulture);
            _value = _value[4..];
            return Result.Good;
        }

        private Result Number(bool fixedWidth, int min, int max, string? name, out int number)
        {
            if (!GetNum(ref _value, fixedWidth, out number))
            {
                return Result.Bad;
            }

            return name is not null && (number < min || number > max) ? Result.OutOfRange(name) : Result.Good;
        }

        private Result Seconds()
        {
            var seconds = Number(true, 0, 59, "second", out _);
            if (!seconds.Ok || seconds.Range is not null)
            {
                return seconds;
            }

            // A fractional second the layout does not spell is accepted after the seconds (when it spells one, the
            // next element reads it).
            if (!_micro && _value.Length >= 2 && _value[0] is '.' or ',' && IsDigit(_value, 1))
            {
                var n = 2;
                while (IsDigit(_value, n))
                {
                    n++;
                }

                _value = _value[n..];
            }

            return Result.Good;
        }

        /// <summary>stdFracSecond0 (parseNanoseconds): the separator and exactly as many digits as the layout has zeros.</summary>
        private Result Fraction()
        {
            if (_value.Length < 1 + MicroDigits || _value[0] is not ('.' or ',') || _value.AsSpan(1, MicroDigits).ContainsAnyExceptInRange('0', '9'))
            {
                return Result.Bad;
            }

            _value = _value[(1 + MicroDigits)..];
            return Result.Good;
        }

        private Result Zone()
        {
            if (_value.StartsWith('Z'))
            {
                _value = _value[1..];
                return Result.Good;
            }

            if (_value.Length < 6 || _value[3] != ':')
            {
                return Result.Bad;
            }

            var hours = _value.Substring(1, 2);
            var minutes = _value.Substring(4, 2);
            var sign = _value[0];
            _value = _value[6..];
            if (!GetNum(ref hours, true, out var hour) || !GetNum(ref minutes, true, out var minute))
            {
                return Result.Bad;
            }

            // Go's test is "greater than": offsets of 24 hours or 60 minutes are written by some.
            return minute > 60 ? Result.OutOfRange("time zone offset minute")
                : hour > 24 ? Result.OutOfRange("time zone offset hour")
                : sign is '+' or '-' ? Result.Good : Result.Bad;
        }
    }

    private readonly record struct Result(bool Ok, string? Range)
    {
        public static Result Good => new(true, null);

        public static Result Bad => new(false, null);

        public static Result OutOfRange(string name) => new(true, name);
    }
}
