using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Walks an object along its kind's schema, as upstream's decoder does, and reports two things: fields the schema does
/// not declare (strict decoding names them "spec.containers[0].imagee": dot-separated names, [i] for list items) and
/// the first value of the wrong JSON type (which upstream's decoder refuses outright). Maps (labels, annotations,
/// data, resource lists) take any key, and free-form values (RawExtension, FieldsV1, the JSON of CRD schemas) are not
/// looked into.
/// </summary>
internal sealed class UnknownFieldFinder(KubernetesModels models)
{
    public IReadOnlyList<string> Find(Type model, JsonObject obj) => Inspect(model, obj).Unknown;

    /// <summary>
    /// Undeclared fields, and the first type mismatch as the Go decoder words it ("cannot unmarshal string into Go
    /// struct field ...") or null, in one walk.
    /// </summary>
    public (IReadOnlyList<string> Unknown, string? TypeError) Inspect(Type model, JsonObject obj)
    {
        var findings = new Findings(models.KindOf(model)?.Kind ?? model.Name);
        WalkObject(model, obj, "", findings);
        return (findings.Unknown, findings.TypeError);
    }

    private void WalkObject(Type model, JsonObject obj, string path, Findings findings)
    {
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            var property = models.Property(model, name);
            if (property is null)
            {
                findings.Unknown.Add(fieldPath);
            }
            else if (value is not null)
            {
                WalkValue(property.Type, value, fieldPath, fieldPath, findings);
            }
        }
    }

    // goPath is the path the Go decoder reports: field names only, no list indexes.
    private void WalkValue(Type type, JsonNode value, string path, string goPath, Findings findings)
    {
        type = ClrShapes.Unwrap(type);
        if (ClrShapes.ElementOf(type) is { } element)
        {
            if (value is not JsonArray array)
            {
                findings.Mismatch(value, goPath, "[]" + GoTypeName(element));
                return;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item)
                {
                    WalkValue(element, item, $"{path}[{i}]", goPath, findings);
                }
            }
        }
        else if (ClrShapes.MapValueOf(type) is { } mapValue)
        {
            if (value is not JsonObject map)
            {
                findings.Mismatch(value, goPath, $"map[string]{GoTypeName(mapValue)}");
                return;
            }

            foreach (var (key, item) in map)
            {
                if (item is not null)
                {
                    WalkValue(mapValue, item, $"{path}.{key}", goPath, findings);
                }
            }
        }
        else if (models.IsModel(type))
        {
            if (value is JsonObject obj)
            {
                WalkObject(type, obj, path, findings);
            }
            else if (!IsScalarModel(type))
            {
                findings.Mismatch(value, goPath, GoTypeName(type));
            }
        }
        else if (!ScalarFits(type, value))
        {
            findings.Mismatch(value, goPath, GoTypeName(type));
        }
    }

    // IntOrString and Quantity are models in the client but strings or numbers on the wire.
    private static bool IsScalarModel(Type type) => type.Name is "IntOrString" or "ResourceQuantity";

    private static bool ScalarFits(Type type, JsonNode value)
    {
        var kind = value.GetValueKind();
        return type switch
        {
            _ when type == typeof(string) || type == typeof(DateTime) || type == typeof(byte[]) => kind == JsonValueKind.String,
            _ when type == typeof(bool) => kind is JsonValueKind.True or JsonValueKind.False,
            _ when type == typeof(int) || type == typeof(long) => kind == JsonValueKind.Number && !value.ToJsonString().Contains('.', StringComparison.Ordinal),
            _ when type == typeof(double) || type == typeof(float) => kind == JsonValueKind.Number,
            _ => true,
        };
    }

    private string GoTypeName(Type type)
    {
        type = ClrShapes.Unwrap(type);
        if (ClrShapes.ElementOf(type) is { } element)
        {
            return "[]" + GoTypeName(element);
        }

        if (ClrShapes.MapValueOf(type) is { } mapValue)
        {
            return $"map[string]{GoTypeName(mapValue)}";
        }

        if (models.IsModel(type))
        {
            // "io.k8s.api.apps.v1.DeploymentSpec" is v1.DeploymentSpec in Go.
            var parts = models.DefinitionName(type).Split('.');
            return $"{parts[^2]}.{parts[^1]}";
        }

        return type switch
        {
            _ when type == typeof(int) => "int32",
            _ when type == typeof(long) => "int64",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(double) => "float64",
            _ when type == typeof(byte[]) => "[]uint8",
            _ => "string",
        };
    }

    private sealed class Findings(string kind)
    {
        public List<string> Unknown { get; } = [];

        public string? TypeError { get; private set; }

        public void Mismatch(JsonNode value, string goPath, string expected)
        {
            var actual = value.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "bool",
                JsonValueKind.Array => "array",
                _ => "object",
            };
            TypeError ??= $"json: cannot unmarshal {actual} into Go struct field {kind}.{goPath} of type {expected}";
        }
    }
}
