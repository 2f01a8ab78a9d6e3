using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Walks an object along its kind's shape in the field catalog, as upstream's decoder does, and reports two things:
/// fields the kind does not declare (strict decoding names them "spec.containers[0].imagee": dot-separated names, [i]
/// for list items), with where they are so they can be dropped, and the first value of the wrong JSON type (which
/// upstream's decoder refuses outright). Maps
/// (labels, annotations, data, resource lists) take any key, and free-form values (RawExtension, FieldsV1, the JSON
/// of CRD schemas) are not looked into.
/// </summary>
internal static class UnknownFieldFinder
{
    /// <summary>
    /// Undeclared fields, and the first type mismatch as the Go decoder words it ("cannot unmarshal string into Go
    /// struct field ...") or null, in one walk.
    /// </summary>
    public static FieldInspection Inspect(ObjectShape shape, string kind, JsonObject obj)
    {
        var findings = new Findings(kind);
        WalkObject(shape, obj, "", findings);
        return new FieldInspection(findings.Unknown, findings.TypeError, findings.Locations);
    }

    private static void WalkObject(ObjectShape shape, JsonObject obj, string path, Findings findings)
    {
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!shape.Fields.TryGetValue(name, out var field))
            {
                findings.Unknown.Add(fieldPath);
                findings.Locations.Add((obj, name));
            }
            else if (value is not null)
            {
                WalkValue(field, value, fieldPath, fieldPath, findings);
            }
        }
    }

    // goPath is the path the Go decoder reports: field names only, no list indexes.
    private static void WalkValue(FieldShape shape, JsonNode value, string path, string goPath, Findings findings)
    {
        switch (shape.Kind)
        {
            case FieldShapeKind.List when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        WalkValue(shape.Item!, item, $"{path}[{i}]", goPath, findings);
                    }
                }

                break;
            case FieldShapeKind.Map when value is JsonObject map:
                foreach (var (key, item) in map)
                {
                    if (item is not null)
                    {
                        WalkValue(shape.Item!, item, $"{path}.{key}", goPath, findings);
                    }
                }

                break;
            case FieldShapeKind.Object when value is JsonObject obj:
                WalkObject(shape.Object!, obj, path, findings);
                break;
            case FieldShapeKind.List or FieldShapeKind.Map or FieldShapeKind.Object:
                findings.Mismatch(value, goPath, shape.GoName);
                break;
            default:
                if (!shape.Fits(value))
                {
                    findings.Mismatch(value, goPath, shape.GoName);
                }

                break;
        }
    }

    private sealed class Findings(string kind)
    {
        public List<string> Unknown { get; } = [];

        public List<(JsonObject Owner, string Name)> Locations { get; } = [];

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
