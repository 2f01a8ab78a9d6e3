using System.Text.Json.Nodes;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// What field ownership needs to know of a type (structured-merge-diff's schema): whether an object's fields are
/// owned one by one (a struct or a map) or whole (an atomic value), and whether a list is atomic, a set of scalars or
/// keyed by some of its items' fields. Built-in kinds take it from the field catalog (<see cref="CatalogFieldType"/>),
/// custom resources from their CRD's schema (<see cref="SchemaFieldType"/>).
/// </summary>
internal abstract class FieldType
{
    /// <summary>How a value of this type is owned.</summary>
    public abstract FieldTypeKind KindOf(JsonNode? value);

    /// <summary>Whether a list's items are scalars owned one by one (a set) rather than keyed objects.</summary>
    public abstract bool IsSet { get; }

    /// <summary>
    /// Whether an object of this type may carry field <paramref name="name"/>: a struct's declared field, any key of a
    /// map or of a value whose shape is free.
    /// </summary>
    public abstract bool Declares(string name);

    /// <summary>The type of field <paramref name="name"/> of a struct, or of every value of a map.</summary>
    public abstract FieldType Field(string name);

    /// <summary>The type of a list's items or a map's values.</summary>
    public abstract FieldType Item { get; }

    /// <summary>The key fields of a keyed list's item, a missing one as its default.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, JsonNode?>> KeyOf(JsonObject item);
}
