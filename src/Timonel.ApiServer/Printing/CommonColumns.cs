using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Printing;

/// <summary>The NAME and AGE columns every upstream printer shows, with upstream's descriptions.</summary>
public static class CommonColumns
{
    public const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public const string CreationTimestampDescription = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn Name { get; } = new("Name", "string", (obj, _) => obj.Name(), 0, "name", NameDescription);

    public static TableColumn Age { get; } = new("Age", "string", (obj, context) => AgeOf(obj, context), 0, "", CreationTimestampDescription);

    /// <summary>
    /// The CREATED AT column of upstream's DefaultTableConvertor (k8s.io/apiserver/pkg/registry/rest/table.go), used for
    /// kinds without a printer (roles, CRDs, ...): the creation time in RFC 3339.
    /// </summary>
    public static TableColumn CreatedAt { get; } = new("Created At", "date", (obj, _) => obj.CreationTimestamp(), 0, "", CreationTimestampDescription);

    /// <summary>NAME, AGE: the start and end of most printers.</summary>
    public static IReadOnlyList<TableColumn> NameAndAge { get; } = [Name, Age];

    /// <summary>The default table for kinds without a printer: NAME, CREATED AT (upstream's DefaultTableConvertor).</summary>
    public static IReadOnlyList<TableColumn> DefaultTable { get; } = [Name, CreatedAt];

    public static JsonNode AgeOf(JsonObject obj, TableContext context) => TableCells.Since(obj.CreationTimestamp(), context);
}
