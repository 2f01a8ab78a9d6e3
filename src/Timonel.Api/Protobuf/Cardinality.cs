namespace Timonel.Api.Protobuf;

/// <summary>The proto declaration of a field: one value, repeated values, or a map&lt;string, T&gt;.</summary>
internal enum Cardinality
{
    Single,
    Repeated,
    Map,
}
