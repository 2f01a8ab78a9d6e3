namespace Timonel.Api.Protobuf;

/// <summary>How the Go struct field behind a protobuf field is declared, which decides how Go's JSON
/// marshaller writes it (see tools/protobuf-schema/generate.py).</summary>
internal enum GoKind
{
    /// <summary>A value field: always present in Go, the zero value when absent on the wire.</summary>
    Value,
    /// <summary>A pointer: present only when set, so a present zero is kept.</summary>
    Pointer,
    /// <summary>A slice, map or []byte: nil (JSON null, or omitted with omitempty) when empty.</summary>
    Collection,
    /// <summary>An embedded struct whose JSON fields are spliced into the parent object.</summary>
    Inline,
}
