using System.Globalization;
using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Volumes;

/// <summary>
/// The pod metadata a downwardAPI volume file shows (upstream fieldpath.ExtractFieldPathAsString): name, namespace,
/// uid, all labels or annotations as sorted <c>key="value"</c> lines, or one of them by subscript
/// (<c>metadata.labels['app']</c>). Anything else is an error with upstream's message.
/// </summary>
public static class PodFieldPath
{
    /// <summary>Throws <see cref="ArgumentException"/> for a field path it does not know.</summary>
    public static string Extract(V1Pod pod, string fieldPath)
    {
        var meta = pod.Metadata;
        if (SplitSubscript(fieldPath) is var (path, subscript))
        {
            return path switch
            {
                "metadata.annotations" => Lookup(meta.Annotations, subscript),
                "metadata.labels" => Lookup(meta.Labels, subscript),
                _ => throw new ArgumentException($"fieldPath \"{fieldPath}\" does not support subscript"),
            };
        }

        return fieldPath switch
        {
            "metadata.annotations" => FormatMap(meta.Annotations),
            "metadata.labels" => FormatMap(meta.Labels),
            "metadata.name" => meta.Name ?? "",
            "metadata.namespace" => meta.NamespaceProperty ?? "",
            "metadata.uid" => meta.Uid ?? "",
            _ => throw new ArgumentException($"unsupported fieldPath: {fieldPath}"),
        };
    }

    /// <summary>fieldpath.FormatMap: one <c>key="value"</c> line per entry, keys sorted, values quoted as Go's %q.</summary>
    public static string FormatMap(IDictionary<string, string>? map) =>
        string.Join('\n', (map ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={GoQuote(e.Value ?? "")}"));

    private static string Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value ?? "" : "";

    // SplitMaybeSubscriptedPath: "metadata.labels['key']".
    private static (string Path, string Subscript)? SplitSubscript(string fieldPath)
    {
        if (!fieldPath.EndsWith("']", StringComparison.Ordinal))
        {
            return null;
        }

        var open = fieldPath.IndexOf("['", StringComparison.Ordinal);
        return open < 0 ? null : (fieldPath[..open], fieldPath[(open + 2)..^2]);
    }

    private static string GoQuote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
        {
            var escaped = rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < 0x20 or 0x7f => "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture),
                _ when Rune.IsControl(rune) => rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
                _ => rune.ToString(),
            };
            quoted.Append(escaped);
        }

        return quoted.Append('"').ToString();
    }
}
