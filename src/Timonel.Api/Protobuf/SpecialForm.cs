namespace Timonel.Api.Protobuf;

/// <summary>Messages whose JSON form is not an object of their fields (upstream gives them a custom MarshalJSON).</summary>
internal enum SpecialForm
{
    None,
    /// <summary>meta/v1 Time: {seconds, nanos}, JSON RFC3339 in seconds, null when zero.</summary>
    Time,
    /// <summary>meta/v1 MicroTime: as Time with microseconds.</summary>
    MicroTime,
    /// <summary>meta/v1 Duration: {duration ns}, JSON Go duration text such as "1h0m0s".</summary>
    Duration,
    /// <summary>resource.Quantity: {string}, JSON string.</summary>
    Quantity,
    /// <summary>intstr.IntOrString: {type, intVal, strVal}, JSON number or string.</summary>
    IntOrString,
    /// <summary>runtime.RawExtension: {raw}, the embedded object's JSON.</summary>
    RawExtension,
    /// <summary>meta/v1 FieldsV1, apiextensions JSON: {raw}, raw JSON text.</summary>
    RawJson,
    /// <summary>A named Go slice sent as a message with one repeated field "items" (meta/v1 Verbs).</summary>
    Items,
    /// <summary>apiextensions JSONSchemaPropsOrArray: a schema or an array of schemas.</summary>
    SchemaOrArray,
    /// <summary>apiextensions JSONSchemaPropsOrBool: a schema or a boolean.</summary>
    SchemaOrBool,
    /// <summary>apiextensions JSONSchemaPropsOrStringArray: a schema or an array of strings.</summary>
    SchemaOrStringArray,
}
