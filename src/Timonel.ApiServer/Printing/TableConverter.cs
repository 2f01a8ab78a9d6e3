using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Printing;

/// <summary>
/// Builds meta.k8s.io Table objects (what <c>kubectl get</c> prints) from objects and a kind's columns,
/// honouring includeObject (None, Metadata — the default — or Object) as upstream's table conversion does.
/// </summary>
public static class TableConverter
{
    public static JsonObject Convert(IReadOnlyList<TableColumn> columns, IEnumerable<JsonObject> objects, TableRequest request, string? resourceVersion, string? continueToken, bool includeHeaders = true)
    {
        var context = new TableContext(DateTimeOffset.UtcNow);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var column in columns)
            {
                cells.Add(column.Cell(obj, context)?.DeepClone());
            }

            var row = new JsonObject { ["cells"] = cells };
            if (RowObject(obj, request.IncludeObject) is { } rowObject)
            {
                row["object"] = rowObject;
            }

            rows.Add(row);
        }

        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = request.ApiVersion,
            ["metadata"] = metadata,
        };
        if (includeHeaders)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })]);
        }

        table["rows"] = rows;
        return table;
    }

    /// <summary>An object reduced to its metadata (meta.k8s.io/v1 PartialObjectMetadata).</summary>
    public static JsonObject PartialMetadata(JsonObject obj, string apiVersion = "meta.k8s.io/v1") => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = apiVersion,
        ["metadata"] = obj["metadata"]?.DeepClone(),
    };

    private static JsonObject? RowObject(JsonObject obj, string includeObject) => includeObject switch
    {
        "None" => null,
        "Object" => obj.DeepClone().AsObject(),
        _ => PartialMetadata(obj),
    };
}
