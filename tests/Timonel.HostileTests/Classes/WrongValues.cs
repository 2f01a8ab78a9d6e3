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
}
