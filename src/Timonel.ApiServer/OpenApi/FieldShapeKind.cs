namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// What a field of a built-in kind holds. The scalar kinds are spelled in the field catalog by their lower-case names
/// ("string", "int32", ...; see <see cref="FieldShape.Word"/>).
/// </summary>
internal enum FieldShapeKind
{
    Object,
    List,
    Map,

    /// <summary>A JSON string (Go string, and metav1.Time, which Go decodes from a string).</summary>
    String,

    /// <summary>A base64 JSON string (Go []byte).</summary>
    Bytes,
    Bool,
    Int32,
    Int64,
    Float64,

    /// <summary>Any JSON value, not looked into: IntOrString, Quantity, RawExtension, FieldsV1, apiextensions' JSON.</summary>
    Any,
}
