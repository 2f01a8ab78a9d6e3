using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>
/// Bounds how much of a YAML document may come from expanding aliases, so a small "billion laughs" document
/// (anchors of lists of aliases of lists...) is refused before it is expanded, not after it has eaten the machine's
/// memory. The rule and its figures are go-yaml v2's (decode.go allowedAliasRatio), which upstream's YAML decoding
/// applies: up to 99 % of the nodes may come from aliases in documents of up to 400,000 nodes, sliding down to 10 %
/// at 4,000,000, once more than 100 alias nodes and 1,000 nodes in all have been decoded.
/// </summary>
internal sealed class YamlAliasBudget
{
    private const long RatioRangeLow = 400_000;
    private const long RatioRangeHigh = 4_000_000;

    private long _decoded;
    private long _fromAliases;

    /// <summary>Counts one node read from the document itself.</summary>
    public void Decoded() => _decoded++;

    /// <summary>
    /// Counts the nodes an alias expands to, and throws <see cref="YamlConversionException"/> when too much of the
    /// document would then come from aliases; <paramref name="size"/> is the anchored value's node count.
    /// </summary>
    public void Expand(long size, long line, long column)
    {
        _decoded += size;
        _fromAliases += size;
        if (_fromAliases > 100 && _decoded > 1000 && (double)_fromAliases / _decoded > AllowedRatio(_decoded))
        {
            throw new YamlConversionException("error converting YAML to JSON: yaml: document contains excessive aliasing", line, column);
        }
    }

    /// <summary>The nodes go-yaml decodes for a value: itself, and each key and value below it.</summary>
    public static long SizeOf(JsonNode? node) => node switch
    {
        JsonObject map => 1 + map.Sum(entry => 1 + SizeOf(entry.Value)),
        JsonArray list => 1 + list.Sum(SizeOf),
        _ => 1,
    };

    private static double AllowedRatio(long decoded) => decoded switch
    {
        <= RatioRangeLow => 0.99,
        >= RatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (decoded - RatioRangeLow) / (RatioRangeHigh - RatioRangeLow)),
    };
}
