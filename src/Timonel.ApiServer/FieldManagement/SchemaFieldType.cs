using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// The type of a custom resource's field, from its CRD's structural schema and the extensions upstream reads for
/// ownership: x-kubernetes-list-type (atomic, set, map) with x-kubernetes-list-map-keys, and x-kubernetes-map-type
/// (atomic, granular). Lists without a list type are atomic, objects granular, as upstream.
/// </summary>
internal sealed class SchemaFieldType : FieldType
{
    private readonly JsonObject? _schema;
    private readonly ConcurrentDictionary<string, FieldType> _fields = new(StringComparer.Ordinal);
    private FieldType? _item;

    // A custom resource's own fields, which upstream adds to every CRD schema's root.
    private static readonly string[] _rootFields = ["apiVersion", "kind", "metadata"];

    private readonly bool _root;

    private SchemaFieldType(JsonObject? schema, bool root = false)
    {
        _schema = schema;
        _root = root;
    }

    /// <summary>A custom resource's type: its schema, with metadata typed as ObjectMeta like any kind's.</summary>
    public static SchemaFieldType ForResource(JsonObject? schema, FieldType metadata)
    {
        var root = new SchemaFieldType(schema, root: true);
        root._fields["metadata"] = metadata;
        return root;
    }

    private string? ListType => _schema.StringAt("x-kubernetes-list-type");

    public override FieldTypeKind KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.Object when _schema.StringAt("x-kubernetes-map-type") == "atomic" => FieldTypeKind.Leaf,
        JsonValueKind.Object when _schema?["properties"] is null && _schema?["additionalProperties"] is JsonObject or JsonValue => FieldTypeKind.Map,
        JsonValueKind.Object => FieldTypeKind.Struct,
        JsonValueKind.Array when ListType is "set" or "map" => FieldTypeKind.List,
        _ => FieldTypeKind.Leaf,
    };

    public override bool IsSet => ListType == "set";

    public override bool Declares(string name) =>
        _schema is null || (_root && _rootFields.Contains(name)) || _schema.ObjectAt("properties")?.ContainsKey(name) == true
        || _schema["additionalProperties"] is JsonObject || _schema["additionalProperties"]?.GetValueKind() == JsonValueKind.True
        || _schema["x-kubernetes-preserve-unknown-fields"]?.GetValueKind() == JsonValueKind.True;

    public override FieldType Field(string name) => _fields.GetOrAdd(name, n => new SchemaFieldType(
        _schema.ObjectAt("properties", n) ?? _schema.ObjectAt("additionalProperties")));

    public override FieldType Item => _item ??= new SchemaFieldType(_schema.ObjectAt("items"));

    /// <summary>The x-kubernetes-list-map-keys fields of an item; a missing one takes its schema default.</summary>
    public override IReadOnlyList<KeyValuePair<string, JsonNode?>> KeyOf(JsonObject item)
    {
        var keys = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in _schema.ArrayAt("x-kubernetes-list-map-keys") ?? [])
        {
            var name = key?.ToString() ?? "";
            keys.Add(new(name, item[name] ?? _schema.At("items", "properties", name, "default")));
        }

        return keys;
    }
}
