using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.OpenApiGen.Protobuf;

/// <summary>
/// A JSON value as the YAML text gnostic stores in openapi.v2.Any: the node parsed from the JSON document, its styles
/// cleared, written by go-yaml v3's Marshal (gnostic-models compiler.Marshal). So: block style, 4-space indentation
/// except that the content of a sequence item starts right after "- " (go-yaml v3 emitterc.go
/// yaml_emitter_increase_indent), empty collections as {} and [], no line folding (best_width -1), and strings plain
/// unless plain would read back as something else or is not allowed, then quoted. Where go-yaml would choose single
/// quotes or a literal block this writes double quotes: the same string to any YAML reader.
/// </summary>
internal static class YamlText
{
    private const int Indent = 4;

    public static string Write(JsonNode? value)
    {
        var yaml = new StringBuilder();
        if (IsBlock(value))
        {
            WriteBlock(yaml, value!, 0, continuesLine: false);
        }
        else
        {
            yaml.Append(Scalar(value)).Append('\n');
        }

        return yaml.ToString();
    }

    /// <summary>A non-empty mapping or sequence at <paramref name="indent"/>; the first entry may continue a "- " line.</summary>
    private static void WriteBlock(StringBuilder yaml, JsonNode block, int indent, bool continuesLine)
    {
        var entries = block is JsonObject mapping
            ? mapping.Select(p => (Key: (string?)p.Key, Value: p.Value))
            : block.AsArray().Select(item => (Key: (string?)null, Value: item));
        foreach (var (key, value) in entries)
        {
            if (!continuesLine)
            {
                yaml.Append(' ', indent);
            }

            continuesLine = false;
            yaml.Append(key is null ? "-" : Text(key) + ":");
            if (!IsBlock(value))
            {
                yaml.Append(' ').Append(Scalar(value)).Append('\n');
            }
            else if (key is null)
            {
                // A sequence item's content is indented by the "- " it follows.
                yaml.Append(' ');
                WriteBlock(yaml, value!, indent + 2, continuesLine: true);
            }
            else
            {
                // Everything else aligns to the next multiple of the indentation.
                yaml.Append('\n');
                WriteBlock(yaml, value!, Indent * ((indent + Indent) / Indent), continuesLine: false);
            }
        }
    }

    private static bool IsBlock(JsonNode? value) => value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 };

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => Text(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            // A number keeps the text it has in the JSON document, as the parsed node does.
            _ => value.ToJsonString(),
        },
    };

    private static string Text(string text) => IsPlain(text) ? text : Quoted(text);

    /// <summary>
    /// Whether the string may be written plain: it reads back as the same string (not null, a bool, a number or a
    /// timestamp: go-yaml v3 resolve.go) and holds nothing the emitter would quote. Deliberately narrow: letters,
    /// digits and . _ / - with inner spaces, starting with a letter.
    /// </summary>
    private static bool IsPlain(string text) =>
        text.Length > 0
        && char.IsAsciiLetter(text[0])
        && text[^1] != ' '
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-' or ' ')
        && !text.Contains("  ", StringComparison.Ordinal)
        && !IsReserved(text);

    /// <summary>Plain words starting with a letter that go-yaml v3 reads as null or a bool (resolve.go's table).</summary>
    private static bool IsReserved(string text) =>
        text is "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    private static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                < ' ' or '\u007f' => quoted.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
