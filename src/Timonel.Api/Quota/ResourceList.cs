using System.Text.Json.Nodes;
using Timonel.Api.Quantities;

namespace Timonel.Api.Quota;

/// <summary>
/// Resource name to quantity maps and the arithmetic quota needs on them (k8s.io/apiserver/pkg/quota/v1
/// resources.go: Add, SubtractWithNonNegativeResult, Mask, LessThanOrEqual, IsZero), plus the text admission
/// messages print them as (prettyPrint: sorted "name=value" joined by ",").
/// </summary>
public static class ResourceList
{
    public static Dictionary<string, Quantity> Empty() => new(StringComparer.Ordinal);

    /// <summary>A status.hard or status.used object; entries that are not quantities are left out.</summary>
    public static Dictionary<string, Quantity> FromJson(JsonObject? obj)
    {
        var list = Empty();
        foreach (var (name, value) in obj ?? [])
        {
            try
            {
                if (Quantity.FromJson(value) is { } quantity)
                {
                    list[name] = quantity;
                }
            }
            catch (QuantityFormatException)
            {
                // Validation keeps malformed quantities out of storage; a stray one is not counted.
            }
        }

        return list;
    }

    public static JsonObject ToJson(IReadOnlyDictionary<string, Quantity> list)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in list.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[name] = value.ToJson();
        }

        return obj;
    }

    public static Dictionary<string, Quantity> Add(IReadOnlyDictionary<string, Quantity> a, IReadOnlyDictionary<string, Quantity> b)
    {
        var sum = new Dictionary<string, Quantity>(a, StringComparer.Ordinal);
        foreach (var (name, value) in b)
        {
            sum[name] = sum.TryGetValue(name, out var existing) ? existing.Add(value) : value;
        }

        return sum;
    }

    /// <summary>a - b per name, never below zero (names only in b are left out).</summary>
    public static Dictionary<string, Quantity> SubtractNonNegative(IReadOnlyDictionary<string, Quantity> a, IReadOnlyDictionary<string, Quantity> b)
    {
        var difference = Empty();
        foreach (var (name, value) in a)
        {
            var rest = b.TryGetValue(name, out var other) ? value.Subtract(other) : value;
            difference[name] = rest.Sign < 0 ? Quantity.Zero : rest;
        }

        return difference;
    }

    /// <summary>Only the entries whose names are in <paramref name="names"/>.</summary>
    public static Dictionary<string, Quantity> Mask(IReadOnlyDictionary<string, Quantity> list, IEnumerable<string> names)
    {
        var keep = names.ToHashSet(StringComparer.Ordinal);
        return list.Where(p => keep.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>The names whose value in <paramref name="a"/> exceeds the one in <paramref name="b"/> (names missing from b are not limited).</summary>
    public static IReadOnlyList<string> Exceeding(IReadOnlyDictionary<string, Quantity> a, IReadOnlyDictionary<string, Quantity> b) =>
        [.. a.Where(p => b.TryGetValue(p.Key, out var limit) && p.Value > limit).Select(p => p.Key).Order(StringComparer.Ordinal)];

    public static bool IsZero(IReadOnlyDictionary<string, Quantity> list) => list.Values.All(q => q.IsZero);

    public static bool Equal(IReadOnlyDictionary<string, Quantity> a, IReadOnlyDictionary<string, Quantity> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && other == p.Value);

    /// <summary>"pods=1,requests.cpu=500m" (quota admission's prettyPrint).</summary>
    public static string Print(IReadOnlyDictionary<string, Quantity> list) =>
        string.Join(",", list.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
