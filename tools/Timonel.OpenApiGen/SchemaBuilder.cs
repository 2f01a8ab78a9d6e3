using System.Text.Json.Nodes;
using k8s.Models;

namespace Timonel.OpenApiGen;

/// <summary>
/// Turns KubernetesClient model classes into OpenAPI schemas, collecting every definition they reference. Version 3
/// documents reference "#/components/schemas/..." and wrap a described reference in allOf, as upstream's
/// kube-openapi does (a $ref may carry no siblings in OpenAPI 3.0); version 2 documents reference "#/definitions/...".
/// </summary>
internal sealed class SchemaBuilder(KubernetesModels models, bool v3)
{
    private readonly SortedDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly Queue<Type> _pending = new();
    private readonly HashSet<Type> _queued = [];

    public string RefPath(string definitionName) => (v3 ? "#/components/schemas/" : "#/definitions/") + definitionName;

    /// <summary>A bare reference to a model's definition (queued for output).</summary>
    public JsonObject Ref(Type model)
    {
        if (_queued.Add(model))
        {
            _pending.Enqueue(model);
        }

        return new JsonObject { ["$ref"] = RefPath(models.DefinitionName(model)) };
    }

    /// <summary>All definitions referenced so far, each built once, sorted by name.</summary>
    public JsonObject Definitions()
    {
        while (_pending.TryDequeue(out var model))
        {
            _definitions[models.DefinitionName(model)] = Definition(model);
        }

        var result = new JsonObject();
        foreach (var (name, schema) in _definitions)
        {
            result[name] = schema;
        }

        return result;
    }

    private JsonObject Definition(Type model)
    {
        var name = models.DefinitionName(model);
        var schema = new JsonObject();
        Describe(schema, models.Docs.OfType(model));
        schema["type"] = "object";
        // Patch is a free-form body whose shape depends on the content type (upstream's meta/v1 Patch has no properties).
        if (name == DefinitionNames.Patch)
        {
            return schema;
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var property in models.Properties(model))
        {
            properties[property.JsonName] = PropertySchema(property.Type, models.Docs.OfProperty(property.Info));
            if (property.Required)
            {
                required.Add(property.JsonName);
            }
        }

        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        if (models.KindOf(model) is { } gvk)
        {
            schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(gvk.Group, gvk.Version, gvk.Kind));
        }

        return schema;
    }

    public static JsonObject Gvk(string group, string version, string kind) => new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    /// <summary>The schema of one property (or, with no description, of an array item or map value).</summary>
    private JsonObject PropertySchema(Type type, string? description)
    {
        type = ClrShapes.Unwrap(type);
        if (ClrShapes.ElementOf(type) is { } element)
        {
            return Described(new JsonObject { ["type"] = "array", ["items"] = PropertySchema(element, null) }, description);
        }

        if (ClrShapes.MapValueOf(type) is { } value)
        {
            return Described(new JsonObject { ["type"] = "object", ["additionalProperties"] = PropertySchema(value, null) }, description);
        }

        if (models.IsModel(type))
        {
            return Referenced(Ref(type), description);
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return Referenced(Named(DefinitionNames.Time, () => new JsonObject
            {
                ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON. Wrappers are provided for many of the factory methods that the time package offers.",
                ["type"] = "string",
                ["format"] = "date-time",
            }), description);
        }

        if (type == typeof(ResourceQuantity))
        {
            return Referenced(Named(DefinitionNames.Quantity, () => OneOf(new JsonObject
            {
                ["description"] = "Quantity is a fixed-point representation of a number, serialized as a string such as \"100m\", \"1Gi\" or \"2\".",
            }, "string", "number")), description);
        }

        if (type == typeof(IntOrString))
        {
            return Referenced(Named(DefinitionNames.IntOrString, () => OneOf(new JsonObject
            {
                ["description"] = "IntOrString is a type that can hold an int32 or a string.",
                ["format"] = "int-or-string",
                ["x-kubernetes-int-or-string"] = true,
            }, "integer", "string")), description);
        }

        var scalar = Scalar(type);
        return Described(scalar, description);
    }

    /// <summary>
    /// A scalar that takes several JSON types: OpenAPI 3 says so with oneOf, as kube-openapi does for types declaring
    /// OpenAPIV3OneOfTypes (kubectl explain then shows the definition's name, e.g. &lt;IntOrString&gt;); swagger 2.0 has
    /// no oneOf, and upstream's v2 document calls both IntOrString and Quantity a string.
    /// </summary>
    private JsonObject OneOf(JsonObject schema, params string[] v3Types)
    {
        if (v3)
        {
            schema["oneOf"] = new JsonArray([.. v3Types.Select(t => new JsonObject { ["type"] = t })]);
        }
        else
        {
            schema["type"] = "string";
        }

        return schema;
    }

    private static JsonObject Scalar(Type type)
    {
        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }

        // object: RawExtension, FieldsV1 and apiextensions' JSON, whose content the schema does not constrain.
        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    /// <summary>A reference to a named scalar definition (Time, Quantity, IntOrString), added on first use.</summary>
    private JsonObject Named(string definitionName, Func<JsonObject> schema)
    {
        if (!_definitions.ContainsKey(definitionName))
        {
            _definitions[definitionName] = schema();
        }

        return new JsonObject { ["$ref"] = RefPath(definitionName) };
    }

    private JsonObject Referenced(JsonObject reference, string? description)
    {
        if (description is null)
        {
            return v3 ? new JsonObject { ["allOf"] = new JsonArray(reference) } : reference;
        }

        return v3
            ? new JsonObject { ["description"] = description, ["allOf"] = new JsonArray(reference) }
            : new JsonObject { ["description"] = description, ["$ref"] = reference["$ref"]!.DeepClone() };
    }

    private static JsonObject Described(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            var described = new JsonObject { ["description"] = description };
            foreach (var (key, value) in schema)
            {
                described[key] = value?.DeepClone();
            }

            return described;
        }

        return schema;
    }

    private static void Describe(JsonObject schema, string? description)
    {
        if (description is not null)
        {
            schema["description"] = description;
        }
    }
}
