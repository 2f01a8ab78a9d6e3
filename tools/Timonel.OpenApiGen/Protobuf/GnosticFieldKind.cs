namespace Timonel.OpenApiGen.Protobuf;

/// <summary>How a JSON value is written into one field of a gnostic OpenAPI v2 message.</summary>
internal enum GnosticFieldKind
{
    /// <summary>proto3 string; an empty string is the default and is not written.</summary>
    String,

    /// <summary>proto3 bool; false is not written.</summary>
    Bool,

    /// <summary>proto3 double (fixed64); 0 is not written.</summary>
    Double,

    /// <summary>proto3 int64 (varint); 0 is not written.</summary>
    Int64,

    /// <summary>repeated string: a JSON array of strings, or one string (the type keyword of a schema).</summary>
    Strings,

    /// <summary>A message, written whenever the JSON has the key (even when empty), as Go's generated code does.</summary>
    Message,

    /// <summary>repeated message: a JSON array, or one object (the items keyword of a schema).</summary>
    Messages,

    /// <summary>openapi.v2.Any: the value as YAML text in its yaml field (default, example, vendor extensions).</summary>
    Any,

    /// <summary>repeated openapi.v2.Any: a JSON array (enum).</summary>
    Anys,
}
