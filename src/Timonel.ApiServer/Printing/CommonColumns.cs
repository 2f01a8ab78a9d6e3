using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Printing;

/// <summary>The NAME and AGE columns every upstream printer shows, with upstream's descriptions.</summary>
public static class CommonColumns
{
    public static TableColumn Name { get; } = new("Name", "string", (obj, _) => obj.Name(), 0, "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");

    public static TableColumn Age { get; } = new("Age", "string", (obj, context) => AgeOf(obj, context), 0, "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

    /// <summary>The default table for kinds without a printer: NAME, AGE (upstream's DefaultTableConvertor).</summary>
    public static IReadOnlyList<TableColumn> NameAndAge { get; } = [Name, Age];

    public static JsonNode AgeOf(JsonObject obj, TableContext context) =>
        ObjectMetadata.ParseTimestamp(obj.CreationTimestamp()) is { } created ? HumanDuration.Format(context.Now - created) : "<unknown>";
}
