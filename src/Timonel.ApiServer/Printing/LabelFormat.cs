using System.Text;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Printing;

/// <summary>
/// Label sets and label selectors as upstream prints them: labels.FormatLabels (sorted "k=v,k2=v2", "&lt;none&gt;"
/// when empty) and metav1.LabelSelectorAsSelector(...).String() (requirements sorted by key, "k in (a,b)", "!k").
/// </summary>
public static class LabelFormat
{
    /// <summary>labels.FormatLabels: the set sorted by key, or "&lt;none&gt;".</summary>
    public static string FormatLabels(JsonObject? labels)
    {
        var text = SetString(labels);
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary>metav1.FormatLabelSelector: the selector's string, or "&lt;none&gt;" when it selects everything.</summary>
    public static string FormatLabelSelector(JsonObject? selector)
    {
        var text = SelectorString(selector);
        return text.Length == 0 ? "<none>" : text;
    }

    /// <summary>LabelSelectorAsSelector(selector).String(): empty for a missing or empty selector.</summary>
    public static string SelectorString(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in ObjectMetadata.StringMap(selector.ObjectAt("matchLabels")))
        {
            requirements.Add((key, $"{key}={value}"));
        }

        foreach (var expression in selector.ArrayAt("matchExpressions").Objects())
        {
            var key = expression.StringAt("key") ?? "";
            var values = expression.ArrayAt("values")?.Select(v => v?.GetValue<string>() ?? "").Order(StringComparer.Ordinal).ToList() ?? [];
            var text = expression.StringAt("operator") switch
            {
                "In" => $"{key} in ({string.Join(',', values)})",
                "NotIn" => $"{key} notin ({string.Join(',', values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                _ => null,
            };
            if (text is not null)
            {
                requirements.Add((key, text));
            }
        }

        // labels.internalSelector keeps its requirements sorted by key (a stable sort: matchLabels come first).
        return string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    private static string SetString(JsonObject? labels)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in ObjectMetadata.StringMap(labels).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(key).Append('=').Append(value);
        }

        return builder.ToString();
    }
}
