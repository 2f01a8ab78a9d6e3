using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// Just enough of resource.Quantity (k8s.io/apimachinery/pkg/api/resource) to compare and add amounts for the QoS
/// class: a decimal number with an optional binary (Ki..Ei), decimal (n..E) or exponent (e3) suffix.
/// </summary>
public static class ResourceQuantity
{
    private static readonly (string Suffix, decimal Factor)[] _suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>The amount of a quantity given as a JSON string or number; null when it does not parse.</summary>
    public static decimal? Parse(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return value.TryGetValue<decimal>(out var number) ? number : null;
        }

        return value.TryGetValue<string>(out var text) ? Parse(text) : null;
    }

    public static decimal? Parse(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var factor = 1m;
        var number = text;
        var exponent = text.IndexOfAny(['e', 'E'], 1);
        if (exponent > 0 && exponent < text.Length - 1 && int.TryParse(text.AsSpan(exponent + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power))
        {
            number = text[..exponent];
            factor = Pow10(power);
        }
        else
        {
            foreach (var (suffix, suffixFactor) in _suffixes)
            {
                if (text.EndsWith(suffix, StringComparison.Ordinal))
                {
                    number = text[..^suffix.Length];
                    factor = suffixFactor;
                    break;
                }
            }
        }

        return decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? amount * factor
            : null;
    }

    private static decimal Pow10(int power)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(power) && i < 28; i++)
        {
            result *= 10;
        }

        return power < 0 ? 1 / result : result;
    }
}
