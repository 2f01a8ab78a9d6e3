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

    /// <summary>A JSON string (Go string).</summary>
    String,

    /// <summary>A base64 JSON string (Go []byte).</summary>
    Bytes,
    Bool,
    Int32,
    Int64,
    Float64,

    /// <summary>intstr.IntOrString: a string, or a number that fits an int32.</summary>
    IntOrString,

    /// <summary>resource.Quantity: a string or a number that parses as a quantity.</summary>
    Quantity,

    /// <summary>metav1.Time: an RFC 3339 string.</summary>
    Time,

    /// <summary>metav1.MicroTime: an RFC 3339 string with exactly six fractional digits (RFC3339Micro).</summary>
    MicroTime,

    /// <summary>Any JSON value, not looked into: RawExtension, FieldsV1, apiextensions' JSON.</summary>
    Any,
}
