using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Api.Quantities;

/// <summary>
/// A fixed-point number with a unit suffix, as apimachinery's resource.Quantity (pkg/api/resource/quantity.go):
/// <c>64Mi</c>, <c>200m</c>, <c>1.5</c>, <c>1e3</c>. Values are exact (never floating point), at most nano
/// precision (finer values round up, away from zero), BinarySI values capped at 2^63-1. <see cref="ToString"/>
/// is the canonical form ("1.5" → "1500m", "1.5Gi" → "1536Mi"); a string already canonical is kept as written.
/// </summary>
public sealed class Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    private const string SuffixLetters = "eEinumkKMGTP";
    private const int NanoExponent = -9;
    private const int MaxInt64Digits = 18; // upstream's maxInt64Factors

    private static readonly BigInteger _maxAllowed = long.MaxValue;

    // value = _mantissa * 10^_exponent
    private readonly BigInteger _mantissa;
    private readonly int _exponent;
    private readonly string? _text;

    private Quantity(BigInteger mantissa, int exponent, QuantityFormat format, string? text = null)
    {
        _mantissa = mantissa;
        _exponent = exponent;
        Format = format;
        _text = text;
    }

    /// <summary>The zero quantity ("0").</summary>
    public static Quantity Zero { get; } = new(BigInteger.Zero, 0, QuantityFormat.DecimalSI, "0");

    /// <summary>The format the quantity is written in.</summary>
    public QuantityFormat Format { get; }

    /// <summary>True when the value is zero.</summary>
    public bool IsZero => _mantissa.IsZero;

    /// <summary>-1, 0 or 1.</summary>
    public int Sign => _mantissa.Sign;

    /// <summary>The value rounded up to an integer (ceiling), as upstream's Value(); saturates at the long range.</summary>
    public long Value => ScaledValue(0);

    /// <summary>The value in thousandths rounded up (ceiling), as upstream's MilliValue() (CPU millicores).</summary>
    public long MilliValue => ScaledValue(-3);

    /// <summary>Parses a quantity; throws <see cref="QuantityFormatException"/> with upstream's message when malformed.</summary>
    public static Quantity Parse(string text) =>
        TryParse(text, out var quantity, out var error) ? quantity : throw new QuantityFormatException(error!);

    /// <summary>Parses a quantity; on failure returns false and upstream's error message.</summary>
    public static bool TryParse(string text, out Quantity quantity, out string? error)
    {
        quantity = Zero;
        error = null;
        if (text.Length == 0)
        {
            error = QuantityFormatException.FormatWrongMessage;
            return false;
        }
        if (text == "0")
        {
            return true;
        }
        if (!Scan(text, out var positive, out var num, out var denom, out var suffix))
        {
            error = QuantityFormatException.FormatWrongMessage;
            return false;
        }
        if (!InterpretSuffix(suffix, out var isBinary, out var suffixExponent, out var format))
        {
            error = QuantityFormatException.SuffixMessage;
            return false;
        }
        quantity = Build(text, positive, num, denom, isBinary, suffixExponent, format);
        return true;
    }

    /// <summary>
    /// Reads a quantity from JSON: a string (trimmed) or a bare number (parsed from its literal text), as upstream's
    /// UnmarshalJSON. Null yields null.
    /// </summary>
    public static Quantity? FromJson(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => Parse(value.GetValue<string>().Trim()),
                JsonValueKind.Number => Parse(value.ToJsonString()),
                _ => throw new QuantityFormatException(QuantityFormatException.FormatWrongMessage),
            };
        }
        throw new QuantityFormatException(QuantityFormatException.FormatWrongMessage);
    }

    /// <summary>A quantity of <paramref name="value"/> units in <paramref name="format"/>.</summary>
    public static Quantity FromInt64(long value, QuantityFormat format = QuantityFormat.DecimalSI) => new(value, 0, format);

    /// <summary>A quantity of <paramref name="milliValue"/> thousandths, e.g. 250 → "250m".</summary>
    public static Quantity FromMilli(long milliValue, QuantityFormat format = QuantityFormat.DecimalSI) => new(milliValue, -3, format);

    /// <summary>The canonical string as a JSON value.</summary>
    public JsonNode ToJson() => JsonValue.Create(ToString());

    /// <summary>Sum; the format is this one's unless this is zero (as upstream's Add).</summary>
    public Quantity Add(Quantity other)
    {
        var (a, b, exponent) = Align(this, other);
        return new Quantity(a + b, exponent, IsZero ? other.Format : Format);
    }

    /// <summary>Difference; the format is this one's unless this is zero (as upstream's Sub).</summary>
    public Quantity Subtract(Quantity other)
    {
        var (a, b, exponent) = Align(this, other);
        return new Quantity(a - b, exponent, IsZero ? other.Format : Format);
    }

    /// <summary>The negated quantity.</summary>
    public Quantity Negate() => new(-_mantissa, _exponent, Format);

    /// <summary>Compares values (formats are ignored).</summary>
    public int CompareTo(Quantity? other)
    {
        if (other is null)
        {
            return 1;
        }
        var (a, b, _) = Align(this, other);
        return a.CompareTo(b);
    }

    /// <summary>Equal values (formats are ignored): "1Ki" equals "1024".</summary>
    public bool Equals(Quantity? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var (mantissa, exponent) = StripTens(_mantissa, _exponent);
        return HashCode.Combine(mantissa, exponent);
    }

    /// <summary>The canonical form (see the type's remarks).</summary>
    public override string ToString() => _text ?? Canonicalize();

    /// <summary>Value comparison.</summary>
    public static bool operator ==(Quantity? left, Quantity? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value comparison.</summary>
    public static bool operator !=(Quantity? left, Quantity? right) => !(left == right);

    /// <summary>Value comparison.</summary>
    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    /// <summary>Value comparison.</summary>
    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    /// <summary>Value comparison.</summary>
    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    /// <summary>Value comparison.</summary>
    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;

    // Splits "<sign><number><suffix>" as upstream's parseQuantityString; false means ErrFormatWrong.
    private static bool Scan(string text, out bool positive, out string num, out string denom, out string suffix)
    {
        positive = true;
        num = "0";
        denom = string.Empty;
        suffix = string.Empty;
        var pos = 0;
        if (text[0] is '-' or '+')
        {
            positive = text[0] == '+';
            pos++;
        }
        while (pos < text.Length && text[pos] == '0')
        {
            pos++;
        }
        if (pos >= text.Length)
        {
            return true;
        }
        var start = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }
        num = pos > start ? text[start..pos] : "0";
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            start = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }
            denom = text[start..pos];
        }
        var suffixStart = pos;
        while (pos < text.Length && SuffixLetters.Contains(text[pos], StringComparison.Ordinal))
        {
            pos++;
        }
        if (pos < text.Length && text[pos] is '-' or '+')
        {
            pos++;
        }
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }
        suffix = text[suffixStart..];
        return pos >= text.Length;
    }

    private static bool InterpretSuffix(string suffix, out bool isBinary, out int exponent, out QuantityFormat format)
    {
        isBinary = false;
        format = QuantityFormat.DecimalSI;
        switch (suffix)
        {
            case "": exponent = 0; return true;
            case "n": exponent = -9; return true;
            case "u": exponent = -6; return true;
            case "m": exponent = -3; return true;
            case "k": exponent = 3; return true;
            case "M": exponent = 6; return true;
            case "G": exponent = 9; return true;
            case "T": exponent = 12; return true;
            case "P": exponent = 15; return true;
            case "E": exponent = 18; return true;
        }
        var binary = Array.IndexOf(_binarySuffixes, suffix);
        if (binary >= 0)
        {
            isBinary = true;
            format = QuantityFormat.BinarySI;
            exponent = (binary + 1) * 10;
            return true;
        }
        format = QuantityFormat.DecimalExponent;
        exponent = 0;
        // Exponents far beyond any real quantity are refused rather than expanded digit by digit.
        return suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
            && Math.Abs(exponent) <= 10_000;
    }

    private static readonly string[] _binarySuffixes = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    private static Quantity Build(string text, bool positive, string num, string denom, bool isBinary, int suffixExponent, QuantityFormat format)
    {
        var digits = BigInteger.Parse(num + denom, CultureInfo.InvariantCulture);
        var exponent = -denom.Length;
        if (isBinary)
        {
            digits <<= suffixExponent;
        }
        else
        {
            exponent += suffixExponent;
        }

        // Upstream keeps the caller's string when its int64 fast path sees a value already in canonical form.
        var keepText = KeepsText(num, denom, isBinary, suffixExponent);

        if (exponent < NanoExponent)
        {
            (digits, exponent) = (RoundUpToNano(digits, exponent), NanoExponent);
        }
        if (format == QuantityFormat.BinarySI)
        {
            var scaledMax = exponent >= 0 ? _maxAllowed : _maxAllowed * BigInteger.Pow(10, -exponent);
            var scaledDigits = exponent >= 0 ? digits * BigInteger.Pow(10, exponent) : digits;
            if (scaledDigits > scaledMax)
            {
                // Upstream caps binary quantities at 2^63-1 rather than failing.
                (digits, exponent) = (_maxAllowed, 0);
            }
            else if (exponent < 0 && !digits.IsZero && digits < BigInteger.Pow(10, -exponent))
            {
                // A fraction of one cannot be written with a binary suffix.
                format = QuantityFormat.DecimalSI;
            }
        }
        if (!positive)
        {
            digits = -digits;
        }
        return new Quantity(digits, exponent, format, keepText && !digits.IsZero ? text : null);
    }

    private static bool KeepsText(string num, string denom, bool isBinary, int suffixExponent)
    {
        var shifted = num + denom;
        int precision;
        var scale = 0;
        if (!isBinary)
        {
            scale = suffixExponent - denom.Length;
            precision = MaxInt64Digits - shifted.Length;
        }
        else if (denom.Length == 0)
        {
            precision = 15 - num.Length - (int)(suffixExponent * 3f / 10) - 1;
        }
        else
        {
            precision = -1;
        }
        if (precision < 0 || scale < NanoExponent || !long.TryParse(shifted, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        if (isBinary)
        {
            return (BigInteger)value << suffixExponent <= long.MaxValue && suffixExponent % 10 == 0 && (value & 0x07) != 0;
        }
        return scale % 3 == 0 && !shifted.EndsWith("000", StringComparison.Ordinal) && shifted[0] != '0';
    }

    private static BigInteger RoundUpToNano(BigInteger digits, int exponent)
    {
        var drop = NanoExponent - exponent;
        var magnitude = BigInteger.Abs(digits);
        // A value with fewer digits than are dropped is below one nano: non-zero rounds up to 1n.
        if (magnitude.IsZero || magnitude.GetBitLength() < drop * 3)
        {
            return magnitude.IsZero ? BigInteger.Zero : digits.Sign;
        }
        var quotient = BigInteger.DivRem(magnitude, BigInteger.Pow(10, drop), out var remainder);
        if (!remainder.IsZero)
        {
            quotient += 1;
        }
        return digits.Sign < 0 ? -quotient : quotient;
    }

    private string Canonicalize()
    {
        if (IsZero)
        {
            return "0";
        }
        var format = Format;
        if (format == QuantityFormat.BinarySI)
        {
            var (a, b, _) = Align(this, FromInt64(1024));
            if (BigInteger.Abs(a) < b || !IsInteger())
            {
                // Between -1024 and 1024, or fractional: binary suffixes would round, so show as DecimalSI.
                format = QuantityFormat.DecimalSI;
            }
        }
        if (format == QuantityFormat.BinarySI)
        {
            var whole = _exponent >= 0 ? _mantissa * BigInteger.Pow(10, _exponent) : _mantissa / BigInteger.Pow(10, -_exponent);
            var power = 0;
            while (power < _binarySuffixes.Length && !whole.IsZero && whole % 1024 == 0)
            {
                whole /= 1024;
                power++;
            }
            return whole.ToString(CultureInfo.InvariantCulture) + (power == 0 ? string.Empty : _binarySuffixes[power - 1]);
        }
        var (mantissa, exponent) = StripTens(_mantissa, _exponent);
        while (exponent % 3 != 0)
        {
            mantissa *= 10;
            exponent--;
        }
        var number = mantissa.ToString(CultureInfo.InvariantCulture);
        if (format == QuantityFormat.DecimalSI)
        {
            var si = DecimalSuffix(exponent);
            // Above "E" there is no SI suffix; upstream (since kubernetes#140459) falls back to the exponent form.
            if (si is not null)
            {
                return number + si;
            }
        }
        return exponent == 0 ? number : number + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }

    private static string? DecimalSuffix(int exponent) => exponent switch
    {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        0 => string.Empty,
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => null,
    };

    private bool IsInteger() => _exponent >= 0 || _mantissa % BigInteger.Pow(10, -_exponent) == 0;

    private long ScaledValue(int scale)
    {
        var shift = _exponent - scale;
        BigInteger result;
        if (shift >= 0)
        {
            result = _mantissa * BigInteger.Pow(10, shift);
        }
        else
        {
            var divisor = BigInteger.Pow(10, -shift);
            result = BigInteger.DivRem(_mantissa, divisor, out var remainder);
            if (remainder.Sign > 0)
            {
                result += 1;
            }
        }
        return result > long.MaxValue ? long.MaxValue : result < long.MinValue ? long.MinValue : (long)result;
    }

    private static (BigInteger Mantissa, int Exponent) StripTens(BigInteger mantissa, int exponent)
    {
        if (mantissa.IsZero)
        {
            return (mantissa, 0);
        }
        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }
        return (mantissa, exponent);
    }

    private static (BigInteger A, BigInteger B, int Exponent) Align(Quantity x, Quantity y)
    {
        var exponent = Math.Min(x._exponent, y._exponent);
        return (x._mantissa * BigInteger.Pow(10, x._exponent - exponent), y._mantissa * BigInteger.Pow(10, y._exponent - exponent), exponent);
    }
}
