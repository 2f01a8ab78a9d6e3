using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Internal;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Timonel.Api.Objects;

/// <summary>
/// Converts YAML request bodies to JSON as the API server does (sigs.k8s.io/yaml over go-yaml v2): plain scalars
/// resolve by YAML 1.1 rules (true/false/yes/no/on/off, ints with 0x/0o/0b/leading-0 octal and '_', floats,
/// .inf/.nan, ~/null), quoted and block scalars stay strings, non-string keys become strings, aliases and
/// <c>&lt;&lt;</c> merge keys are expanded. Invalid YAML throws <see cref="YamlConversionException"/> with an
/// upstream-like message and line.
/// </summary>
public static class YamlConverter
{
    private const string Prefix = "error converting YAML to JSON: ";

    // go-yaml v2's yamlStyleFloat.
    private static readonly Regex _yamlFloat = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant);

    /// <summary>Converts the first YAML document (as upstream's YAMLToJSON); null for an empty document or <c>null</c>.</summary>
    public static JsonNode? ToJson(string yaml) => ToJson(yaml, out _);

    /// <summary>
    /// Converts the first YAML document, with what sigs.k8s.io/yaml's YAMLToJSONStrict would refuse in it (keys a
    /// mapping repeats) as its error text, or null when it has none.
    /// </summary>
    public static JsonNode? ToJson(string yaml, out string? strictError)
    {
        var repeated = new List<string>();
        var documents = Load(yaml, firstOnly: true, repeated);
        // go-yaml v2's TypeError: "yaml: unmarshal errors:\n  line N: ...", one line per problem.
        strictError = repeated.Count == 0 ? null : Prefix + "yaml: unmarshal errors:\n  " + string.Join("\n  ", repeated);
        return documents.Count == 0 ? null : documents[0];
    }

    /// <summary>Converts every document of a multi-document stream (separated by <c>---</c>), skipping empty ones.</summary>
    public static IReadOnlyList<JsonNode> ToJsonDocuments(string yaml) => Load(yaml, firstOnly: false, []).OfType<JsonNode>().ToList();

    // Walks parser events rather than YamlDotNet's representation model, which refuses duplicate keys that
    // go-yaml v2 accepts (the last value wins).
    private static List<JsonNode?> Load(string yaml, bool firstOnly, List<string> repeated)
    {
        var documents = new List<JsonNode?>();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                var anchors = new Anchors(repeated);
                documents.Add(ReadNode(parser, anchors));
                parser.Consume<DocumentEnd>();
                if (firstOnly)
                {
                    break;
                }
            }
        }
        catch (YamlException e)
        {
            throw Translate(e);
        }
        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, Anchors anchors, int depth = 0)
    {
        var start = parser.Current!.Start;
        if (depth > NestingLimit.MaxDepth)
        {
            // go-yaml's own limit is "exceeded max depth of 10000"; this reader recurses, so it stops sooner.
            throw new YamlConversionException(Prefix + $"yaml: line {start.Line}: exceeded max depth of {NestingLimit.MaxDepth}", start.Line, start.Column);
        }

        JsonNode? node;
        AnchorName anchor;
        anchors.Budget.Decoded();
        switch (parser.Current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.Values.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlConversionException(Prefix + "yaml: unknown anchor '" + alias.Value.Value + "' referenced", start.Line, start.Column);
                }

                // Counted before copying, so an alias bomb is refused before it is expanded.
                anchors.Budget.Expand(target.Size, start.Line, start.Column);
                return target.Node?.DeepClone();
            case Scalar scalar:
                parser.MoveNext();
                anchor = scalar.Anchor;
                node = ConvertScalar(scalar);
                break;
            case SequenceStart sequence:
                parser.MoveNext();
                anchor = sequence.Anchor;
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(parser, anchors, depth + 1));
                }
                node = array;
                break;
            case MappingStart mapping:
                parser.MoveNext();
                anchor = mapping.Anchor;
                node = ReadMapping(parser, anchors, depth);
                break;
            default:
                throw new YamlConversionException(Prefix + "yaml: unexpected " + parser.Current, start.Line, start.Column);
        }
        if (!anchor.IsEmpty)
        {
            anchors.Values[anchor.Value] = (node?.DeepClone(), YamlAliasBudget.SizeOf(node));
        }
        return node;
    }

    private static JsonObject ReadMapping(IParser parser, Anchors anchors, int depth)
    {
        var explicitValues = new List<(string Key, JsonNode? Value)>();
        var merged = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyStart = parser.Current!.Start;
            if (parser.Current is Scalar { Style: ScalarStyle.Plain, Value: "<<" })
            {
                // go-yaml applies "<<" merges first; explicit keys of this mapping then win.
                parser.MoveNext();
                var source = ReadNode(parser, anchors, depth + 1);
                foreach (var item in source is JsonArray list ? list.ToList() : [source])
                {
                    if (item is not JsonObject map)
                    {
                        throw new YamlConversionException(Prefix + "yaml: map merge requires map or sequence of maps as the value", keyStart.Line, keyStart.Column);
                    }
                    foreach (var (key, value) in map)
                    {
                        merged[key] = value?.DeepClone();
                    }
                }
                continue;
            }
            if (parser.Current is not Scalar keyScalar)
            {
                throw new YamlConversionException(Prefix + "yaml: invalid map key: a map or list cannot be a key", keyStart.Line, keyStart.Column);
            }
            parser.MoveNext();
            anchors.Budget.Decoded();
            var keyText = KeyString(keyScalar);
            var valueLine = parser.Current!.Start.Line;
            if (explicitValues.Exists(v => v.Key == keyText))
            {
                // go-yaml v2's strict setMapIndex: "line %d: key %#v already set in map", on the value's line.
                var shown = Resolve(keyScalar) is string ? GoFormat.Quote(keyText) : keyText;
                anchors.Repeated.Add($"line {valueLine.ToString(CultureInfo.InvariantCulture)}: key {shown} already set in map");
            }
            explicitValues.Add((keyText, ReadNode(parser, anchors, depth + 1)));
        }
        foreach (var (key, value) in explicitValues)
        {
            // Later duplicates win, as go-yaml v2 decoding into a map.
            merged[key] = value;
        }
        return merged;
    }

    // go-yaml reports scanner errors on the problem's own line and parser errors on the line before (its
    // problem_mark is 0-based there); the texts below are go-yaml's for the common problems.
    private static YamlConversionException Translate(YamlException e)
    {
        var text = e.Message;
        var (problem, line) = text switch
        {
            // YamlDotNet blames the scalar before a tab; go-yaml blames the tab itself.
            _ when text.Contains("found a tab character", StringComparison.OrdinalIgnoreCase) => ("found character that cannot start any token", e.End.Line),
            _ when text.Contains("cannot start any token", StringComparison.OrdinalIgnoreCase) => ("found character that cannot start any token", e.Start.Line),
            _ when text.Contains("found invalid mapping", StringComparison.OrdinalIgnoreCase)
                || text.Contains("mapping values are not allowed", StringComparison.OrdinalIgnoreCase) => ("mapping values are not allowed in this context", e.Start.Line),
            _ when text.Contains("could not find expected ':'", StringComparison.OrdinalIgnoreCase) => ("could not find expected ':'", e.Start.Line),
            _ => (Describe(text), e is SyntaxErrorException ? e.Start.Line : e.Start.Line - 1),
        };
        var where = line > 0 ? "line " + line.ToString(CultureInfo.InvariantCulture) + ": " : string.Empty;
        return new YamlConversionException(Prefix + "yaml: " + where + problem, line, e.Start.Column, e);
    }

    // YamlDotNet's "While parsing X, did something." → "did something".
    private static string Describe(string message)
    {
        var core = message;
        var close = core.IndexOf("): ", StringComparison.Ordinal);
        if (core.StartsWith('(') && close > 0)
        {
            core = core[(close + 3)..];
        }
        var comma = core.LastIndexOf(", ", StringComparison.Ordinal);
        if (comma >= 0)
        {
            core = core[(comma + 2)..];
        }
        core = core.TrimEnd('.');
        return core.Length > 0 ? char.ToLowerInvariant(core[0]) + core[1..] : core;
    }

    private static string KeyString(Scalar key)
    {
        var value = Resolve(key);
        return value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long or ulong or BigInteger => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
            double d => FloatKey(d),
            _ => throw new YamlConversionException(Prefix + "unsupported map key of type: <nil>, key: <nil>", key.Start.Line, key.Start.Column),
        };
    }

    // sigs.k8s.io/yaml formats float keys with FormatFloat(f, 'g', -1, 32).
    private static string FloatKey(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return ".inf";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-.inf";
        }
        if (double.IsNaN(value))
        {
            return ".nan";
        }
        var single = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        return Internal.GoFormat.Float(double.Parse(single, CultureInfo.InvariantCulture));
    }

    private static JsonNode? ConvertScalar(Scalar scalar)
    {
        var value = Resolve(scalar);
        return value switch
        {
            null => null,
            string s => JsonValue.Create(s),
            bool b => JsonValue.Create(b),
            long l => JsonValue.Create(l),
            ulong u => JsonValue.Create(u),
            double d when double.IsInfinity(d) || double.IsNaN(d) =>
                throw new YamlConversionException(Prefix + "json: unsupported value: " + Internal.GoFormat.Float(d), scalar.Start.Line, scalar.Start.Column),
            double d => JsonValue.Create(d),
            _ => JsonValue.Create(value.ToString()),
        };
    }

    // go-yaml v2's resolve(): the value of a scalar as null, bool, long, ulong, double or string.
    private static object? Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
        var explicitNonString = tag is "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null";
        if (tag is "tag:yaml.org,2002:str" or "!" || (scalar.Style != ScalarStyle.Plain && !explicitNonString))
        {
            return text;
        }
        if (tag.Length != 0 && !explicitNonString && !tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal))
        {
            return text;
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return true;
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return false;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
        }
        var first = text[0];
        if (first == '.')
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : text;
        }
        if (char.IsAsciiDigit(first) || first is '+' or '-')
        {
            var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
            if (TryParseGoInteger(plain, out var integer))
            {
                return integer >= long.MinValue && integer <= long.MaxValue ? (long)integer
                    : integer <= ulong.MaxValue ? (ulong)integer : text;
            }
            if (_yamlFloat.IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
            {
                return f;
            }
        }
        return text;
    }

    // strconv.ParseInt/ParseUint with base 0: optional sign, then 0x/0o/0b prefixes or a leading 0 for octal.
    private static bool TryParseGoInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var negative = text.StartsWith('-');
        var body = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (body.Length == 0)
        {
            return false;
        }
        var (radix, digits) = body switch
        {
            _ when body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => (16, body[2..]),
            _ when body.StartsWith("0o", StringComparison.OrdinalIgnoreCase) => (8, body[2..]),
            _ when body.StartsWith("0b", StringComparison.OrdinalIgnoreCase) => (2, body[2..]),
            _ when body.Length > 1 && body[0] == '0' => (8, body[1..]),
            _ => (10, body),
        };
        if (digits.Length == 0)
        {
            return false;
        }
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return false;
            }
            value = (value * radix) + digit;
        }
        if (negative)
        {
            value = -value;
        }
        // ParseInt covers the int64 range, ParseUint the rest up to 2^64-1 (non-negative only).
        return value >= long.MinValue && value <= ulong.MaxValue;
    }

    // One document's anchored values (with their node counts) and its alias budget.
    private sealed class Anchors(List<string> repeated)
    {
        /// <summary>The document's repeated-key errors, as go-yaml's strict decoder words them.</summary>
        public List<string> Repeated { get; } = repeated;

        public Dictionary<string, (JsonNode? Node, long Size)> Values { get; } = new(StringComparer.Ordinal);

        public YamlAliasBudget Budget { get; } = new();
    }
}
