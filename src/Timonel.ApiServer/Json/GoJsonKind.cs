using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Json;

/// <summary>How Go's encoding/json names a JSON value in an UnmarshalTypeError ("cannot unmarshal string into ...").</summary>
public static class GoJsonKind
{
    public static string Of(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        _ => "object",
    };
}
