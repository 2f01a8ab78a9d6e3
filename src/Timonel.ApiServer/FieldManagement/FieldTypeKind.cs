namespace Timonel.ApiServer.FieldManagement;

/// <summary>How the fields of a value are owned.</summary>
internal enum FieldTypeKind
{
    /// <summary>Owned whole: a scalar, an atomic object or list, or a value of unknown shape.</summary>
    Leaf,

    /// <summary>An object whose fields are owned one by one.</summary>
    Struct,

    /// <summary>A map (labels, data) whose entries are owned one by one; the map itself is owned too.</summary>
    Map,

    /// <summary>A set of scalars or a list keyed by its items' fields, owned item by item.</summary>
    List,
}
