using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Timonel.Kustomize.Yaml;

namespace Timonel.Kustomize.Generators;

/// <summary>
/// The name suffix kustomize appends to generated ConfigMaps and Secrets (api/hasher/hasher.go): the SHA-256 of a
/// small JSON document (kind, an always-empty name, data, and type for a Secret; binaryData / stringData when present) written as
/// Go's encoding/json writes it, keys sorted; the first 10 hex digits with 0,1,3,a,e swapped for g,h,k,m,t.
/// </summary>
public static class NameHasher
{
    public static string Hash(YMap obj)
    {
        var kind = obj.GetString("kind") ?? "";
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        fields["kind"] = Quote(kind);
        // kustomize looks the name up with yaml.Lookup("metadata/name"), a single field literally named
        // "metadata/name", which never exists: the name always hashes as "". We must do the same to match.
        fields["name"] = Quote("");
        if (kind == "ConfigMap")
        {
            fields["data"] = Value(obj["data"]);
            if (obj["binaryData"] is YMap bin)
            {
                fields["binaryData"] = Value(bin);
            }
        }
        else if (kind == "Secret")
        {
            fields["data"] = Value(obj["data"]);
            fields["type"] = Quote(obj.GetString("type") ?? "");
            if (obj["stringData"] is YMap sd)
            {
                fields["stringData"] = Value(sd);
            }
        }
        else
        {
            return Encode(Hex(Json(obj)));
        }
        var json = "{" + string.Join(",", fields.Select(f => Quote(f.Key) + ":" + f.Value)) + "}";
        return Encode(Hex(json));
    }

    /// <summary>The JSON text of a hashed field; a missing field counts as the empty string, as in kustomize.</summary>
    private static string Value(YNode? node) => node switch
    {
        null => "\"\"",
        YScalar s => Quote(s.Value),
        _ => Json(node),
    };

    public static string Hex(string data) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)));

    public static string Encode(string hex)
    {
        var chars = hex[..10].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                var c => c,
            };
        }
        return new string(chars);
    }

    /// <summary>encoding/json output for a node: maps with sorted keys, scalars by kind.</summary>
    public static string Json(YNode node)
    {
        var sb = new StringBuilder();
        WriteJson(sb, node);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, YNode node)
    {
        switch (node)
        {
            case YMap m:
                sb.Append('{');
                var first = true;
                foreach (var e in m.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }
                    first = false;
                    sb.Append(Quote(e.Key)).Append(':');
                    WriteJson(sb, e.Value);
                }
                sb.Append('}');
                break;
            case YSeq s:
                sb.Append('[');
                for (var i = 0; i < s.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    WriteJson(sb, s.Items[i]);
                }
                sb.Append(']');
                break;
            case YScalar sc:
                sb.Append(sc.Kind switch
                {
                    ScalarKind.Null => "null",
                    ScalarKind.Bool or ScalarKind.Int => sc.Value,
                    ScalarKind.Float => GoNumbers.FloatForOutput(sc.Value),
                    _ => Quote(sc.Value),
                });
                break;
        }
    }

    /// <summary>A JSON string as Go's encoding/json writes it (HTML characters escaped).</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}
