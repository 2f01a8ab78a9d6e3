namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Why Go's JSON decoder refuses one scalar value: a type error (encoding/json's UnmarshalTypeError, which the decoder
/// words with the struct and field it was decoding) or an error of its own (a bad base64 string, a time that does not
/// parse). <see cref="Aborts"/> tells the two ways the decoder meets them apart: an error a custom UnmarshalJSON
/// (IntOrString, Quantity, Time) returns ends decoding and wins, one the decoder saves (a plain field of the wrong type)
/// only counts when nothing returned an error (encoding/json's decodeState.unmarshal).
/// </summary>
internal sealed record DecodeError(string? Value, string? GoType, string? Message, bool Aborts)
{
    /// <summary>"cannot unmarshal &lt;value&gt; into ... of type &lt;goType&gt;"; value is "string", "number 1e3", "object"...</summary>
    public static DecodeError TypeMismatch(string value, string goType, bool aborts) => new(value, goType, null, aborts);

    public static DecodeError Plain(string message, bool aborts) => new(null, null, message, aborts);

    /// <summary>The decoder's text, with the struct ("DeploymentSpec") and field path ("spec.replicas") it was in.</summary>
    public string Text(string structName, string goPath) =>
        Message ?? $"json: cannot unmarshal {Value} into Go struct field {structName}.{goPath} of type {GoType}";
}
