namespace Timonel.Api.Protobuf;

/// <summary>One field of a message: its number, JSON name, Go and proto shape, and type
/// (a proto scalar name such as "int32", or a message name; for maps the value type).</summary>
internal sealed record FieldSchema(int Number, string JsonName, GoKind Go, Cardinality Cardinality, string Type, bool OmitEmpty)
{
    public bool IsScalar => ProtobufScalars.IsScalar(Type);
}
