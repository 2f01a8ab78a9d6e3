using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Printing;

namespace Timonel.ApiServer.Registry.CustomResources;

/// <summary>
/// A CRD version's additionalPrinterColumns as table columns (NAME first, AGE last when none is given), reading
/// simple JSONPaths such as .spec.replicas or .status.conditions[0].type.
/// </summary>
public static class PrinterColumns
{
    public static IReadOnlyList<TableColumn> For(JsonArray? additional)
    {
        if (additional is not { Count: > 0 })
        {
            return CommonColumns.NameAndAge;
        }

        var columns = new List<TableColumn> { CommonColumns.Name };
        foreach (var column in additional.Objects())
        {
            var path = column.StringAt("jsonPath") ?? "";
            var type = column.StringAt("type") ?? "string";
            columns.Add(new TableColumn(
                column.StringAt("name") ?? path,
                type == "date" ? "string" : type,
                (obj, context) => Cell(obj, path, type, context),
                (int)(column.LongAt("priority") ?? 0),
                column.StringAt("format") ?? "",
                column.StringAt("description") ?? ""));
        }

        return columns;
    }

    private static JsonNode? Cell(JsonObject obj, string path, string type, TableContext context)
    {
        var value = Resolve(obj, path);
        if (type == "date" && value is JsonValue text && ObjectMetadata.ParseTimestamp(text.ToString()) is { } time)
        {
            return HumanDuration.Format(context.Now - time);
        }

        return value switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.DeepClone(),
            JsonValue v => type == "string" ? v.ToJsonString() : v.DeepClone(),
            _ => value.ToJsonString(NestingLimit.SerializerOptions),
        };
    }

    private static JsonNode? Resolve(JsonNode? node, string path)
    {
        foreach (var segment in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            int? index = null;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && int.TryParse(segment[(bracket + 1)..^1], out var parsed))
            {
                name = segment[..bracket];
                index = parsed;
            }

            node = node?[name];
            if (index is { } i)
            {
                node = node is JsonArray array && i < array.Count ? array[i] : null;
            }
        }

        return node;
    }
}
