using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Walks an object along its kind's shape in the field catalog, as upstream's decoder does, and reports two things:
/// fields the kind does not declare (strict decoding names them "spec.containers[0].imagee": dot-separated names, [i]
/// for list items), with where they are so they can be dropped, and the value that makes upstream's decoder refuse the
/// object: one of the wrong JSON type, a number out of its field's range, a string that is not base64, a time, an
/// IntOrString or a quantity that does not decode. Maps (labels, annotations, data, resource lists) take any key, and
/// free-form values (RawExtension, FieldsV1, the JSON of CRD schemas) are not looked into.
/// </summary>
internal static class UnknownFieldFinder
{
    /// <summary>
    /// Undeclared fields, and the decoding error as the Go decoder words it ("json: cannot unmarshal string into Go
    /// struct field DeploymentSpec.spec.replicas of type int32") or null, in one walk.
    /// </summary>
    public static FieldInspection Inspect(ObjectShape shape, JsonObject obj) => Inspect(shape, obj, "", "");

    /// <summary>
    /// The same for an object nested at <paramref name="path"/> ("metadata"), its undeclared fields named from there,
    /// and decoded on its own as <paramref name="goPath"/> in Go's errors ("" for a custom resource's metadata, which
    /// apiextensions decodes alone: "Go struct field ObjectMeta.labels").
    /// </summary>
    public static FieldInspection Inspect(ObjectShape shape, JsonObject obj, string path, string goPath)
    {
        var findings = new Findings();
        WalkObject(shape, obj, path, goPath, findings);
        return new FieldInspection(findings.Unknown, findings.Error, findings.Locations);
    }

    private static void WalkObject(ObjectShape shape, JsonObject obj, string path, string goPath, Findings findings)
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
                WalkValue(shape, field, value, fieldPath, new GoPath(goPath, name), findings);
            }
        }
    }

    // owner is the struct the field belongs to and goPath the path the Go decoder reports: field names only, no list
    // indexes or map keys (spelled out only when an object is entered or an error named, not for every field).
    private static void WalkValue(ObjectShape owner, FieldShape shape, JsonNode value, string path, GoPath goPath, Findings findings)
    {
        switch (shape.Kind)
        {
            case FieldShapeKind.List when value is JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        WalkValue(owner, shape.Item!, item, $"{path}[{i}]", goPath, findings);
                    }
                }

                break;
            case FieldShapeKind.Map when value is JsonObject map:
                foreach (var (key, item) in map)
                {
                    if (item is not null)
                    {
                        WalkValue(owner, shape.Item!, item, $"{path}.{key}", goPath, findings);
                    }
                }

                break;
            case FieldShapeKind.Object when value is JsonObject obj:
                WalkObject(shape.Object!, obj, path, goPath.ToString(), findings);
                break;
            case FieldShapeKind.List or FieldShapeKind.Map or FieldShapeKind.Object:
                findings.Refuse(DecodeError.TypeMismatch(GoJsonKind.Of(value), shape.GoName, aborts: false), owner, goPath);
                break;
            default:
                if (ScalarDecoder.Check(shape, value) is { } error)
                {
                    findings.Refuse(error, owner, goPath);
                }

                break;
        }
    }

    private sealed class Findings
    {
        private string? _saved;
        private string? _returned;

        public List<string> Unknown { get; } = [];

        public List<(JsonObject Owner, string Name)> Locations { get; } = [];

        /// <summary>encoding/json's decodeState.unmarshal: a returned error, else the first saved one.</summary>
        public string? Error => _returned ?? _saved;

        public void Refuse(DecodeError error, ObjectShape owner, GoPath goPath)
        {
            if (error.Aborts)
            {
                _returned ??= error.Text(owner.StructName, goPath.ToString());
            }
            else
            {
                _saved ??= error.Text(owner.StructName, goPath.ToString());
            }
        }
    }

    private readonly record struct GoPath(string Parent, string Name)
    {
        public override string ToString() => Parent.Length == 0 ? Name : $"{Parent}.{Name}";
    }
}
