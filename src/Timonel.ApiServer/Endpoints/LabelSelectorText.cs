using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints;

/// <summary>A metav1.LabelSelector written as selector text ("app=nginx,tier in (web)"), as Scale.status.selector carries it.</summary>
public static class LabelSelectorText
{
    public static string Format(JsonObject? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var requirements = new List<string>();
        foreach (var (key, value) in selector.ObjectAt("matchLabels") ?? [])
        {
            requirements.Add($"{key}={value?.GetValue<string>()}");
        }

        foreach (var expression in selector.ArrayAt("matchExpressions").Objects())
        {
            var key = expression.StringAt("key");
            var values = string.Join(",", (expression.ArrayAt("values")?.Select(v => v?.GetValue<string>() ?? "") ?? []).Order(StringComparer.Ordinal));
            requirements.Add(expression.StringAt("operator") switch
            {
                "In" => $"{key} in ({values})",
                "NotIn" => $"{key} notin ({values})",
                "Exists" => key!,
                "DoesNotExist" => $"!{key}",
                var other => $"{key} {other}",
            });
        }

        requirements.Sort(StringComparer.Ordinal);
        return string.Join(",", requirements);
    }
}
