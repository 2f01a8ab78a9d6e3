using System.Text.Json.Nodes;

namespace Timonel.OpenApiGen.Protobuf;

/// <summary>
/// A message of gnostic's OpenAPIv2.proto (github.com/google/gnostic-models/openapiv2): either read from a JSON object
/// property by property, or (a oneof, or a wrapper of a list) a choice of the field that takes the whole JSON value.
/// Messages refer to each other in cycles (a Schema holds Schemas), so they are created first and defined after.
/// </summary>
internal sealed class GnosticMessage(string name)
{
    public string Name { get; } = name;

    /// <summary>The fields in field-number order, the order Go's proto.Marshal writes them in.</summary>
    public IReadOnlyList<GnosticField> Fields { get; private set; } = [];

    /// <summary>For a oneof: the number of the field that takes the whole JSON value; null for an object message.</summary>
    public Func<JsonNode, int>? Choose { get; private set; }

    public void Define(params GnosticField[] fields) => Fields = [.. fields.OrderBy(f => f.Number)];

    public void DefineOneof(Func<JsonNode, int> choose, params GnosticField[] fields)
    {
        Define(fields);
        Choose = choose;
    }

    public override string ToString() => Name;
}
