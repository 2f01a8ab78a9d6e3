using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Api.Quantities;

/// <summary>
/// A value that is either an integer or a string, as apimachinery's intstr.IntOrString (ports, maxSurge,
/// maxUnavailable). In JSON it is a bare number or a string.
/// </summary>
public readonly record struct IntOrString
{
    private IntOrString(int? intValue, string? stringValue)
    {
        IntValueOrNull = intValue;
        StringValueOrNull = stringValue;
    }

    /// <summary>True when the value is an integer.</summary>
    public bool IsInt => IntValueOrNull.HasValue;

    /// <summary>The integer, or null for a string value.</summary>
    public int? IntValueOrNull { get; }

    /// <summary>The string, or null for an integer value.</summary>
    public string? StringValueOrNull { get; }

    /// <summary>An integer value.</summary>
    public static IntOrString FromInt(int value) => new(value, null);

    /// <summary>A string value.</summary>
    public static IntOrString FromString(string value) => new(null, value);

    /// <summary>Reads a JSON number (integer) or string; anything else is a <see cref="FormatException"/>.</summary>
    public static IntOrString FromJson(JsonNode node)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.String:
                    return FromString(value.GetValue<string>());
                case JsonValueKind.Number when int.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                    return FromInt(number);
            }
        }
        throw new FormatException("json: cannot unmarshal " + node.ToJsonString() + " into Go value of type intstr.IntOrString");
    }

    /// <summary>The JSON form: a number or a string.</summary>
    public JsonNode ToJson() => IsInt ? JsonValue.Create(IntValueOrNull!.Value) : JsonValue.Create(StringValueOrNull!);

    /// <summary>The integer, or the string parsed as an integer (0 when not numeric), as upstream's IntValue().</summary>
    public int IntValue() => IntValueOrNull ?? (int.TryParse(StringValueOrNull, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0);

    /// <summary>The value as text.</summary>
    public override string ToString() => IsInt ? IntValueOrNull!.Value.ToString(CultureInfo.InvariantCulture) : StringValueOrNull!;

    /// <summary>
    /// Resolves an integer or a percentage ("25%") of <paramref name="total"/>, rounding up or down, as upstream's
    /// GetScaledValueFromIntOrPercent; a string without '%' is an error with upstream's message.
    /// </summary>
    public int GetScaledValue(int total, bool roundUp)
    {
        if (IsInt)
        {
            return IntValueOrNull!.Value;
        }
        var text = StringValueOrNull!;
        if (!text.EndsWith('%'))
        {
            throw new FormatException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        var digits = text[..^1];
        if (!int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException("invalid value for IntOrString: invalid value \"" + text + "\": strconv.Atoi: parsing \"" + digits + "\": invalid syntax");
        }
        var scaled = (double)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }
}
