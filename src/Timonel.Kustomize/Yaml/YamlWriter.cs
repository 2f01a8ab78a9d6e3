using System.Globalization;
using System.Text;

namespace Timonel.Kustomize.Yaml;

/// <summary>
/// Writes a node the way kustomize prints a resource. kustomize marshals each object to JSON and converts it with
/// sigs.k8s.io/yaml, whose emitter is go-yaml v2 (a port of libyaml): keys sorted by go-yaml's key order, block
/// style, sequences not indented under their key, 2-space indent, and scalars wrapped at column 80. YamlDotNet's
/// emitter differs in quoting, wrapping and sequence indentation, so this is a small emitter of our own that
/// follows libyaml's scalar analysis and style choice (yaml_emitter_analyze_scalar / select_scalar_style).
/// </summary>
public sealed class YamlWriter
{
    private const int BestWidth = 80;
    private const int IndentStep = 2;

    private readonly StringBuilder _out;
    private int _column;

    private YamlWriter(StringBuilder output) => _out = output;

    /// <summary>Appends one document (without a "---" separator) to the builder.</summary>
    public static void WriteDocument(StringBuilder output, YNode root)
    {
        var w = new YamlWriter(output);
        switch (root)
        {
            case YMap { Count: > 0 } m:
                w.WriteMap(m, 0, inline: true);
                break;
            case YSeq { Items.Count: > 0 } s:
                w.WriteSeq(s, 0, inline: true);
                break;
            case YMap:
                w.Put("{}");
                break;
            case YSeq:
                w.Put("[]");
                break;
            case YScalar sc:
                w.WriteScalar(sc, 0, simpleKey: false);
                break;
        }
        w.Put("\n");
    }

    public static string Write(YNode root)
    {
        var sb = new StringBuilder();
        WriteDocument(sb, root);
        return sb.ToString();
    }

    private void WriteMap(YMap map, int indent, bool inline)
    {
        var keys = map.Keys.ToList();
        keys.Sort(GoKeyComparer.Instance);
        var first = true;
        foreach (var key in keys)
        {
            if (!(first && inline))
            {
                NewLine(indent);
            }
            first = false;
            WriteString(key, indent + IndentStep, simpleKey: true);
            Put(":");
            var value = map[key]!;
            switch (value)
            {
                case YMap { Count: > 0 } m:
                    WriteMap(m, indent + IndentStep, inline: false);
                    break;
                case YSeq { Items.Count: > 0 } s:
                    WriteSeq(s, indent, inline: false);
                    break;
                case YMap:
                    Put(" {}");
                    break;
                case YSeq:
                    Put(" []");
                    break;
                case YScalar sc:
                    Put(" ");
                    WriteScalar(sc, indent + IndentStep, simpleKey: false);
                    break;
            }
        }
    }

    private void WriteSeq(YSeq seq, int indent, bool inline)
    {
        var first = true;
        foreach (var item in seq.Items)
        {
            if (!(first && inline))
            {
                NewLine(indent);
            }
            first = false;
            Put("- ");
            switch (item)
            {
                case YMap { Count: > 0 } m:
                    WriteMap(m, indent + IndentStep, inline: true);
                    break;
                case YSeq { Items.Count: > 0 } s:
                    WriteSeq(s, indent + IndentStep, inline: true);
                    break;
                case YMap:
                    Put("{}");
                    break;
                case YSeq:
                    Put("[]");
                    break;
                case YScalar sc:
                    WriteScalar(sc, indent + IndentStep, simpleKey: false);
                    break;
            }
        }
    }

    private void WriteScalar(YScalar s, int indent, bool simpleKey)
    {
        switch (s.Kind)
        {
            case ScalarKind.Null:
                Put("null");
                break;
            case ScalarKind.Bool:
            case ScalarKind.Int:
                Put(s.Value);
                break;
            case ScalarKind.Float:
                Put(GoNumbers.FloatForOutput(s.Value));
                break;
            case ScalarKind.Timestamp:
                WriteString(Rfc3339(s.Value), indent, simpleKey);
                break;
            default:
                WriteString(s.Value, indent, simpleKey);
                break;
        }
    }

    // go-yaml v3 decodes a plain date into time.Time, which encoding/json writes as RFC 3339 at midnight UTC.
    private static string Rfc3339(string date)
    {
        var parts = date.Split('-');
        return string.Create(CultureInfo.InvariantCulture, $"{int.Parse(parts[0], CultureInfo.InvariantCulture):D4}-{int.Parse(parts[1], CultureInfo.InvariantCulture):D2}-{int.Parse(parts[2], CultureInfo.InvariantCulture):D2}T00:00:00Z");
    }

    private enum Style
    {
        Plain,
        Single,
        Double,
        Literal,
    }

    private void WriteString(string value, int indent, bool simpleKey)
    {
        var style = value.Contains('\n') ? Style.Literal
            : value.Length > 0 && PlainResolver.ResolvesToString(value) ? Style.Plain
            : Style.Double;
        var a = ScalarAnalysis.Analyze(value);
        if (simpleKey && a.Multiline)
        {
            style = Style.Double;
        }
        if (style == Style.Plain && (!a.BlockPlainAllowed || (value.Length == 0 && simpleKey)))
        {
            style = Style.Single;
        }
        if (style == Style.Single && !a.SingleQuotedAllowed)
        {
            style = Style.Double;
        }
        if (style == Style.Literal && (!a.BlockAllowed || simpleKey))
        {
            style = Style.Double;
        }
        var allowBreaks = !simpleKey;
        switch (style)
        {
            case Style.Plain:
                WritePlain(value, indent, allowBreaks);
                break;
            case Style.Single:
                WriteSingle(value, indent, allowBreaks);
                break;
            case Style.Double:
                WriteDouble(value, indent, allowBreaks);
                break;
            default:
                WriteLiteral(value, indent);
                break;
        }
    }

    private void WritePlain(string value, int indent, bool allowBreaks)
    {
        var runes = value.EnumerateRunes().ToArray();
        var spaces = false;
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            if (r.Value == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && !(i + 1 < runes.Length && runes[i + 1].Value == ' '))
                {
                    NewLine(indent);
                }
                else
                {
                    Put(r);
                }
                spaces = true;
            }
            else
            {
                Put(r);
                spaces = false;
            }
        }
    }

    private void WriteSingle(string value, int indent, bool allowBreaks)
    {
        Put("'");
        var runes = value.EnumerateRunes().ToArray();
        var spaces = false;
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            if (r.Value == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i != 0 && i != runes.Length - 1 && runes[i + 1].Value != ' ')
                {
                    NewLine(indent);
                }
                else
                {
                    Put(r);
                }
                spaces = true;
            }
            else
            {
                Put(r.Value == '\'' ? "''" : r.ToString());
                spaces = false;
            }
        }
        Put("'");
    }

    private void WriteDouble(string value, int indent, bool allowBreaks)
    {
        Put("\"");
        var runes = value.EnumerateRunes().ToArray();
        var spaces = false;
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            var v = r.Value;
            if (!ScalarAnalysis.IsPrintable(v) || v == 0xFEFF || ScalarAnalysis.IsBreak(v) || v == '"' || v == '\\')
            {
                Put(Escape(v));
                spaces = false;
            }
            else if (v == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i != 0 && i != runes.Length - 1)
                {
                    NewLine(indent);
                    if (runes[i + 1].Value == ' ')
                    {
                        Put("\\");
                    }
                }
                else
                {
                    Put(r);
                }
                spaces = true;
            }
            else
            {
                Put(r);
                spaces = false;
            }
        }
        Put("\"");
    }

    private static string Escape(int v) => v switch
    {
        0 => "\\0",
        7 => "\\a",
        8 => "\\b",
        9 => "\\t",
        10 => "\\n",
        11 => "\\v",
        12 => "\\f",
        13 => "\\r",
        27 => "\\e",
        '"' => "\\\"",
        '\\' => "\\\\",
        0x85 => "\\N",
        0xA0 => "\\_",
        0x2028 => "\\L",
        0x2029 => "\\P",
        <= 0xFF => "\\x" + v.ToString("X2", CultureInfo.InvariantCulture),
        <= 0xFFFF => "\\u" + v.ToString("X4", CultureInfo.InvariantCulture),
        _ => "\\U" + v.ToString("X8", CultureInfo.InvariantCulture),
    };

    private void WriteLiteral(string value, int indent)
    {
        Put("|");
        if (value.Length > 0 && (value[0] == ' ' || value[0] == '\n'))
        {
            Put(IndentStep.ToString(CultureInfo.InvariantCulture));
        }
        if (!value.EndsWith('\n'))
        {
            Put("-");
        }
        else if (value.Length == 1 || value[^2] == '\n')
        {
            Put("+");
        }
        // libyaml writes the header's line break, then each line indented; empty lines get no indentation.
        var breaks = true;
        Put("\n");
        _column = 0;
        foreach (var r in value.EnumerateRunes())
        {
            if (r.Value == '\n')
            {
                Put("\n");
                _column = 0;
                breaks = true;
            }
            else
            {
                if (breaks)
                {
                    PutSpaces(indent);
                }
                Put(r);
                breaks = false;
            }
        }
        // Content ends with a line break already when chomping keeps it; the next NewLine must not add another.
        _pendingBreakDone = value.EndsWith('\n');
    }

    private bool _pendingBreakDone;

    private void NewLine(int indent)
    {
        if (_pendingBreakDone)
        {
            _pendingBreakDone = false;
        }
        else
        {
            _out.Append('\n');
        }
        _column = 0;
        PutSpaces(indent);
    }

    private void PutSpaces(int n)
    {
        _out.Append(' ', n);
        _column += n;
    }

    private void Put(string s)
    {
        if (s == "\n" && _pendingBreakDone)
        {
            _pendingBreakDone = false;
            return;
        }
        _pendingBreakDone = false;
        _out.Append(s);
        _column += s.Length;
    }

    private void Put(Rune r)
    {
        _pendingBreakDone = false;
        _out.Append(r.ToString());
        _column++;
    }
}
