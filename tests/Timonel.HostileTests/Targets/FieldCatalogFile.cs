using System.Text.Json;

namespace Timonel.HostileTests.Targets;

/// <summary>
/// The server's field catalog (src/Timonel.ApiServer/OpenApi/Generated/fields.json, copied next to the tests): every
/// built-in kind's fields with their Go types, spelled "[]T", "map[string]T", a definition name, or a scalar word.
/// The suite walks it to put a wrong JSON type at every field.
/// </summary>
internal sealed class FieldCatalogFile
{
    private const string ListPrefix = "[]";
    private const string MapPrefix = "map[string]";

    // Inside a CRD's schema, JSONSchemaPropsOrBool/OrArray/OrStringArray take several JSON types by design.
    private const string SchemaProps = "JSONSchemaProps";

    private readonly Dictionary<string, Dictionary<string, string>> _types;
    private readonly Dictionary<(string ApiVersion, string Kind), string> _kinds;

    private FieldCatalogFile(Dictionary<string, Dictionary<string, string>> types, Dictionary<(string ApiVersion, string Kind), string> kinds)
    {
        _types = types;
        _kinds = kinds;
    }

    public static FieldCatalogFile Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fields.json")));
        var types = document.RootElement.GetProperty("types").EnumerateObject().ToDictionary(
            t => t.Name, t => t.Value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!, StringComparer.Ordinal), StringComparer.Ordinal);
        var kinds = new Dictionary<(string ApiVersion, string Kind), string>();
        foreach (var apiVersion in document.RootElement.GetProperty("kinds").EnumerateObject())
        {
            foreach (var kind in apiVersion.Value.EnumerateObject())
            {
                kinds[(apiVersion.Name, kind.Name)] = kind.Value.GetString()!;
            }
        }

        return new FieldCatalogFile(types, kinds);
    }

    public bool Holds(ServedKind kind) => _kinds.ContainsKey((kind.GroupVersion, kind.Kind));

    /// <summary>
    /// Every field of the kind down to <paramref name="maxDepth"/> steps, in catalog order, except the type meta at the
    /// root and fields of type "any" (IntOrString, Quantity, RawExtension: they take several JSON types).
    /// </summary>
    public IReadOnlyList<FieldPath> Fields(ServedKind kind, int maxDepth)
    {
        var found = new List<FieldPath>();
        if (_kinds.TryGetValue((kind.GroupVersion, kind.Kind), out var root))
        {
            Walk(root, [], maxDepth, found);
        }

        return found.Where(f => f.Steps[0].Property is not ("apiVersion" or "kind")).ToList();
    }

    private void Walk(string typeName, List<FieldStep> prefix, int maxDepth, List<FieldPath> found)
    {
        if (prefix.Count >= maxDepth || typeName.Contains(SchemaProps, StringComparison.Ordinal) || !_types.TryGetValue(typeName, out var fields))
        {
            return;
        }

        foreach (var (name, type) in fields)
        {
            AddField([.. prefix, new FieldStep(name)], type, maxDepth, found);
        }
    }

    private void AddField(List<FieldStep> steps, string type, int maxDepth, List<FieldPath> found)
    {
        if (type == "any")
        {
            return;
        }

        found.Add(new FieldPath(steps, type));
        if (type.StartsWith(ListPrefix, StringComparison.Ordinal))
        {
            AddInner([.. steps, FieldStep.Item], type[ListPrefix.Length..], maxDepth, found);
        }
        else if (type.StartsWith(MapPrefix, StringComparison.Ordinal))
        {
            AddInner([.. steps, new FieldStep("k")], type[MapPrefix.Length..], maxDepth, found);
        }
        else if (_types.ContainsKey(type))
        {
            Walk(type, steps, maxDepth, found);
        }
    }

    private void AddInner(List<FieldStep> steps, string type, int maxDepth, List<FieldPath> found)
    {
        if (steps.Count <= maxDepth)
        {
            AddField(steps, type, maxDepth, found);
        }
    }

    /// <summary>The JSON value kinds Go's decoder accepts for a catalog type (null aside, which every field takes).</summary>
    public static IReadOnlySet<JsonValueKind> Accepted(string type) => type switch
    {
        "string" => new HashSet<JsonValueKind> { JsonValueKind.String },
        // encoding/json fills a []byte from a base64 string or, element by element, from an array of numbers.
        "bytes" => new HashSet<JsonValueKind> { JsonValueKind.String, JsonValueKind.Array },
        "bool" => new HashSet<JsonValueKind> { JsonValueKind.True, JsonValueKind.False },
        "int32" or "int64" or "float64" => new HashSet<JsonValueKind> { JsonValueKind.Number },
        // metav1.Time and MicroTime.UnmarshalJSON take only a string, and then only an RFC 3339 one: the suite's
        // string ("x") fails time.Parse, so every JSON type is wrong here.
        "time" or "microtime" => new HashSet<JsonValueKind>(),
        // resource.Quantity.UnmarshalJSON (api/resource/quantity.go) parses a JSON number's text as a quantity (7 is
        // 7); a string must match the quantity syntax, which the suite's "x" does not.
        "quantity" => new HashSet<JsonValueKind> { JsonValueKind.Number },
        // intstr.IntOrString.UnmarshalJSON takes any string and any int32 number.
        "intorstring" => new HashSet<JsonValueKind> { JsonValueKind.String, JsonValueKind.Number },
        _ when type.StartsWith(ListPrefix, StringComparison.Ordinal) => new HashSet<JsonValueKind> { JsonValueKind.Array },
        _ => new HashSet<JsonValueKind> { JsonValueKind.Object },
    };
}
