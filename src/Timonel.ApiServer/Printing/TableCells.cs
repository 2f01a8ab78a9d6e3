using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Printing;

/// <summary>Cell computations several printers share (pkg/printers/internalversion/printers.go helpers).</summary>
public static class TableCells
{
    /// <summary>translateTimestampSince: the age of a timestamp, "&lt;unknown&gt;" when unset.</summary>
    public static string Since(string? timestamp, TableContext context) =>
        ObjectMetadata.ParseTimestamp(timestamp) is { } time ? HumanDuration.Format(context.Now - time) : "<unknown>";

    /// <summary>layoutContainerCells: container names and images, comma-joined in order.</summary>
    public static (string Names, string Images) Containers(JsonArray? containers)
    {
        var list = containers.Objects().ToList();
        return (string.Join(',', list.Select(c => c.StringAt("name") ?? "")), string.Join(',', list.Select(c => c.StringAt("image") ?? "")));
    }

    /// <summary>The number of entries of a map or list field (len(obj.Data)), 0 when absent.</summary>
    public static long CountOf(JsonNode? node) => node switch
    {
        JsonObject map => map.Count,
        JsonArray list => list.Count,
        _ => 0,
    };

    /// <summary>listWithMoreString: up to <paramref name="max"/> items, then " + N more...", or "&lt;unset&gt;".</summary>
    public static string ListWithMore(IReadOnlyList<string> items, int max = 3)
    {
        var text = string.Join(',', items.Take(max));
        if (items.Count > max)
        {
            return $"{text} + {items.Count - max} more...";
        }

        return text.Length == 0 ? "<unset>" : text;
    }

    /// <summary>The load balancer ingress points (IP, else hostname), de-duplicated and sorted, comma-joined.</summary>
    public static string LoadBalancerIngress(JsonObject? loadBalancer) =>
        string.Join(',', loadBalancer.ArrayAt("ingress").Objects()
            .Select(i => i.StringAt("ip") is { Length: > 0 } ip ? ip : i.StringAt("hostname") ?? "")
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));

    /// <summary>printBool / printBoolPtr: "True", "False", or "&lt;unset&gt;".</summary>
    public static string BoolPointer(bool? value) => value switch
    {
        true => "True",
        false => "False",
        null => "<unset>",
    };

    public static IEnumerable<string> Strings(JsonArray? array) =>
        array?.Select(v => v is JsonValue value && value.TryGetValue<string>(out var s) ? s : "") ?? [];
}
