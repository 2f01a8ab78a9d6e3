using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Classes;

/// <summary>One value of each JSON type (null aside: every Go field takes null), and those a catalog type refuses.</summary>
internal static class WrongValues
{
    private static readonly JsonNode[] _samples = [JsonValue.Create("x"), JsonValue.Create(7), JsonValue.Create(true), new JsonObject(), new JsonArray()];

    /// <summary>Values encoding/json cannot decode into the type, with the word its error names them by.</summary>
    public static IEnumerable<(JsonNode Value, string Word)> For(string catalogType)
    {
        var accepted = FieldCatalogFile.Accepted(catalogType);
        return _samples.Where(v => !accepted.Contains(v.GetValueKind())).Select(v => (v.DeepClone(), Upstream.GoJsonWord(v.GetValueKind())));
    }

    /// <summary>
    /// Fragments of the decode error upstream reports for the value at the field (the second one, when not null, must
    /// also be in the message). encoding/json returns the error of a type's own UnmarshalJSON as it is, adding its
    /// "Go struct field" context only to an UnmarshalTypeError (decode.go addErrorContext).
    /// </summary>
    public static (string Text, string? Also) DecodeError(FieldPath field, JsonNode value, string word)
    {
        switch (field.Type)
        {
            case "time" or "microtime" when value.GetValueKind() == JsonValueKind.String:
                // metav1.Time/MicroTime.UnmarshalJSON return time.Parse's ParseError as it is, naming their layout.
                var text = JsonSerializer.Serialize(value.GetValue<string>());
                var layout = field.Type == "microtime" ? Upstream.Rfc3339Micro : Upstream.Rfc3339;
                return ($"parsing time {text} as \"{layout}\": cannot parse {text} as \"2006\"", null);
            case "quantity":
                // Quantity.UnmarshalJSON parses whatever text it gets (a bool, an object) and returns ErrFormatWrong.
                return (Upstream.QuantityFormat, null);
            case "intorstring":
                // IntOrString.UnmarshalJSON unmarshals a non-string into its int32 ("into Go value of type int32"), an
                // UnmarshalTypeError the outer decoder gives its struct field context ("into Go struct field
                // ServicePort.spec.ports.targetPort of type int32").
                return ($"json: cannot unmarshal {word} into Go", " of type int32");
            default:
                return ("json: cannot unmarshal " + word, null);
        }
    }
}
