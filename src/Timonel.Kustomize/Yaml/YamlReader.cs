using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Timonel.Kustomize.Yaml;

/// <summary>
/// Reads YAML text into <see cref="YNode"/> trees with YamlDotNet's event parser, resolving plain scalars the way
/// go-yaml v3 does (kustomize reads through kyaml, which is go-yaml v3): YAML 1.2 booleans only, Go integer syntax
/// (0x, 0o, 0b, leading-zero octal, underscores), YAML floats, and dates.
/// </summary>
public static partial class YamlReader
{
    /// <summary>Parses every document of a stream; empty documents (only comments or nothing) are skipped.</summary>
    public static List<YNode> ReadAll(string text)
    {
        var parser = new Parser(new StringReader(text));
        var docs = new List<YNode>();
        parser.Consume<StreamStart>();
        while (parser.TryConsume<DocumentStart>(out _))
        {
            var anchors = new Dictionary<string, YNode>();
            if (parser.Accept<DocumentEnd>(out _))
            {
                parser.Consume<DocumentEnd>();
                continue;
            }
            var node = ReadNode(parser, anchors);
            parser.Consume<DocumentEnd>();
            if (node is YScalar { Kind: ScalarKind.Null })
            {
                continue;
            }
            docs.Add(node);
        }
        return docs;
    }

    /// <summary>Parses one document (the first); null when the text holds none.</summary>
    public static YNode? ReadOne(string text)
    {
        var all = ReadAll(text);
        return all.Count == 0 ? null : all[0];
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target.Clone()
                : throw new KustomizeException($"yaml: unknown anchor '{alias.Value.Value}' referenced");
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var s = ResolveScalar(scalar);
            Remember(anchors, scalar.Anchor, s);
            return s;
        }
        if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var seq = new YSeq();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                seq.Items.Add(ReadNode(parser, anchors));
            }
            Remember(anchors, seqStart.Anchor, seq);
            return seq;
        }
        var mapStart = parser.Consume<MappingStart>();
        var map = new YMap();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = ReadNode(parser, anchors);
            var value = ReadNode(parser, anchors);
            var keyText = key is YScalar ks ? ks.Value : throw new KustomizeException("yaml: non-scalar mapping keys are not supported");
            if (keyText == "<<" && key is YScalar { Kind: ScalarKind.String })
            {
                MergeInto(map, value);
                continue;
            }
            map[keyText] = value;
        }
        Remember(anchors, mapStart.Anchor, map);
        return map;
    }

    // A YAML merge key (<<) copies the fields of the aliased mappings that the mapping does not set itself.
    private static void MergeInto(YMap map, YNode value)
    {
        var sources = value is YSeq seq ? seq.Items : [value];
        foreach (var source in sources.OfType<YMap>())
        {
            foreach (var e in source.Entries)
            {
                if (!map.ContainsKey(e.Key))
                {
                    map[e.Key] = e.Value.Clone();
                }
            }
        }
    }

    private static void Remember(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private static YScalar ResolveScalar(Scalar scalar)
    {
        var tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;
        if (tag.Length > 0 && tag != "!")
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" => new YScalar(scalar.Value),
                "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null"
                    => Resolve(scalar.Value),
                "tag:yaml.org,2002:binary" => new YScalar(DecodeBinary(scalar.Value)),
                _ => scalar.Style == ScalarStyle.Plain ? Resolve(scalar.Value) : new YScalar(scalar.Value),
            };
        }
        return scalar.Style == ScalarStyle.Plain && tag != "!" ? Resolve(scalar.Value) : new YScalar(scalar.Value);
    }

    private static string DecodeBinary(string value)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value.Replace("\n", "").Replace(" ", "")));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    /// <summary>Resolves a plain scalar per go-yaml v3's resolve table.</summary>
    public static YScalar Resolve(string v)
    {
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return YScalar.Null();
            case "true" or "True" or "TRUE":
                return new YScalar("true", ScalarKind.Bool);
            case "false" or "False" or "FALSE":
                return new YScalar("false", ScalarKind.Bool);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN":
                return new YScalar(v, ScalarKind.Float);
        }
        var c = v[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return new YScalar(v);
        }
        if (DateRegex().IsMatch(v))
        {
            return new YScalar(v, ScalarKind.Timestamp);
        }
        var plain = v.Replace("_", "");
        if (GoNumbers.TryParseInt(plain, out var integer))
        {
            return new YScalar(integer, ScalarKind.Int);
        }
        if (FloatRegex().IsMatch(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return new YScalar(plain, ScalarKind.Float);
        }
        return new YScalar(v);
    }

    // go-yaml's yamlStyleFloat.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();

    // The date-only form of go-yaml's allowed timestamp formats ("2006-1-2").
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")]
    private static partial Regex DateRegex();
}
