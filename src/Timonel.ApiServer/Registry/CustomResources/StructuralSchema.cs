using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.CustomResources;

/// <summary>
/// A CRD version's openAPIV3Schema applied to custom resources as upstream's apiextensions-apiserver does:
/// defaults filled in, unknown fields pruned (except under x-kubernetes-preserve-unknown-fields) and reported,
/// then values checked (type, required, enum, bounds, lengths, pattern) with upstream's field-error texts.
/// Hand-written: the schema subset CRDs allow is small, and no .NET library validates with Kubernetes' messages.
/// </summary>
public sealed class StructuralSchema
{
    private readonly JsonObject _root;

    public StructuralSchema(JsonObject root) => _root = root;

    /// <summary>The schema itself (field ownership reads its list and map types); not to be changed.</summary>
    public JsonObject Root => _root;

    /// <summary>Fills defaults and removes fields the schema does not declare; returns the removed fields' paths.</summary>
    public IReadOnlyList<string> DefaultAndPrune(JsonObject obj)
    {
        var pruned = new List<string>();
        // apiVersion, kind and metadata are always kept; metadata is validated as ObjectMeta elsewhere.
        foreach (var (name, value) in obj.ToList())
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            var property = _root.ObjectAt("properties", name);
            if (property is null && _root.BoolAt("x-kubernetes-preserve-unknown-fields") != true)
            {
                obj.Remove(name);
                pruned.Add(name);
                continue;
            }

            if (property is not null && value is not null)
            {
                Walk(property, value, name, pruned);
            }
        }

        ApplyDefaults(_root, obj, "");
        return pruned;
    }

    /// <summary>Errors in the object's content (not metadata), as field errors.</summary>
    public FieldErrorList Validate(JsonObject obj)
    {
        var errors = new FieldErrorList();
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (_root.ObjectAt("properties", name) is { } property)
            {
                Check(property, value, FieldPath.Root(name), errors);
            }
        }

        foreach (var required in Strings(_root.ArrayAt("required")))
        {
            if (obj[required] is null && required is not ("apiVersion" or "kind" or "metadata"))
            {
                errors.Add(FieldError.Required(FieldPath.Root(required)));
            }
        }

        return errors;
    }

    private static void Walk(JsonObject schema, JsonNode value, string path, List<string> pruned)
    {
        if (schema.BoolAt("x-kubernetes-preserve-unknown-fields") == true && schema["properties"] is null && schema["items"] is null)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj when schema.ObjectAt("properties") is { } properties:
                foreach (var (name, child) in obj.ToList())
                {
                    if (properties[name] is JsonObject childSchema)
                    {
                        if (child is not null)
                        {
                            Walk(childSchema, child, $"{path}.{name}", pruned);
                        }
                    }
                    else if (schema.BoolAt("x-kubernetes-preserve-unknown-fields") != true)
                    {
                        obj.Remove(name);
                        pruned.Add($"{path}.{name}");
                    }
                }

                break;
            case JsonObject map when schema.ObjectAt("additionalProperties") is { } valueSchema:
                foreach (var (name, child) in map)
                {
                    if (child is not null)
                    {
                        Walk(valueSchema, child, $"{path}[{name}]", pruned);
                    }
                }

                break;
            case JsonArray array when schema.ObjectAt("items") is { } itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        Walk(itemSchema, item, $"{path}[{i}]", pruned);
                    }
                }

                break;
        }
    }

    private static void ApplyDefaults(JsonObject schema, JsonNode? value, string path)
    {
        switch (value)
        {
            case JsonObject obj when schema.ObjectAt("properties") is { } properties:
                foreach (var (name, childSchema) in properties)
                {
                    if (childSchema is not JsonObject child)
                    {
                        continue;
                    }

                    if (obj[name] is null && child["default"] is { } defaultValue && !(path.Length == 0 && name is "metadata" or "apiVersion" or "kind"))
                    {
                        obj[name] = defaultValue.DeepClone();
                    }

                    ApplyDefaults(child, obj[name], $"{path}.{name}");
                }

                break;
            case JsonArray array when schema.ObjectAt("items") is { } itemSchema:
                foreach (var item in array)
                {
                    ApplyDefaults(itemSchema, item, path);
                }

                break;
            case JsonObject map when schema.ObjectAt("additionalProperties") is { } valueSchema:
                foreach (var (_, item) in map)
                {
                    ApplyDefaults(valueSchema, item, path);
                }

                break;
        }
    }

    private static void Check(JsonObject schema, JsonNode? value, FieldPath path, FieldErrorList errors)
    {
        if (value is null)
        {
            if (schema.BoolAt("nullable") != true)
            {
                // InvalidTypeCode with no value: apiextensions shows "" (pkg/apiserver/validation/validation.go).
                errors.Add(FieldError.TypeInvalid(path, "", $"{path} in body must be of type {schema.StringAt("type") ?? "object"}: \"null\""));
            }

            return;
        }

        if (schema.BoolAt("x-kubernetes-int-or-string") == true)
        {
            return;
        }

        var type = schema.StringAt("type");
        var actual = TypeOf(value);
        if (type is not null && !TypeMatches(type, actual))
        {
            // kube-openapi's validate errors.InvalidType: "<path> in body must be of type <type>: \"<actual>\"".
            errors.Add(FieldError.TypeInvalid(path, Display(value), $"{path} in body must be of type {type}: \"{actual}\""));
            return;
        }

        CheckEnum(schema, value, path, errors);
        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, errors);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, errors);
                break;
            case JsonValue scalar:
                CheckScalar(schema, scalar, path, errors);
                break;
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject obj, FieldPath path, FieldErrorList errors)
    {
        foreach (var required in Strings(schema.ArrayAt("required")))
        {
            if (obj[required] is null)
            {
                errors.Add(FieldError.Required(path.Child(required)));
            }
        }

        var properties = schema.ObjectAt("properties");
        var additional = schema.ObjectAt("additionalProperties");
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject childSchema)
            {
                Check(childSchema, child, path.Child(name), errors);
            }
            else if (additional is not null)
            {
                Check(additional, child, path.Key(name), errors);
            }
        }

        if (schema.LongAt("maxProperties") is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.TooMany(path, obj.Count, (int)maxProperties));
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray array, FieldPath path, FieldErrorList errors)
    {
        if (schema.LongAt("maxItems") is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldError.TooMany(path, array.Count, (int)maxItems));
        }

        if (schema.LongAt("minItems") is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldError.Invalid(path, array.Count, $"{path} in body should have at least {minItems} items"));
        }

        if (schema.ObjectAt("items") is { } itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(itemSchema, array[i], path.Index(i), errors);
            }
        }
    }

    private static void CheckScalar(JsonObject schema, JsonValue scalar, FieldPath path, FieldErrorList errors)
    {
        if (scalar.GetValueKind() == JsonValueKind.String)
        {
            var text = scalar.GetValue<string>();
            if (schema.LongAt("maxLength") is { } maxLength && text.Length > maxLength)
            {
                errors.Add(FieldError.TooLong(path, (int)maxLength));
            }

            if (schema.LongAt("minLength") is { } minLength && text.Length < minLength)
            {
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {minLength} chars long"));
            }

            if (schema.StringAt("pattern") is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
            {
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{pattern}'"));
            }

            return;
        }

        if (scalar.GetValueKind() != JsonValueKind.Number)
        {
            return;
        }

        var number = double.Parse(scalar.ToJsonString(), CultureInfo.InvariantCulture);
        if (schema["minimum"] is JsonValue min && double.Parse(min.ToJsonString(), CultureInfo.InvariantCulture) is var minimum
            && (number < minimum || (schema.BoolAt("exclusiveMinimum") == true && number <= minimum)))
        {
            errors.Add(FieldError.Invalid(path, scalar, $"{path} in body should be greater than or equal to {min.ToJsonString()}"));
        }

        if (schema["maximum"] is JsonValue max && double.Parse(max.ToJsonString(), CultureInfo.InvariantCulture) is var maximum
            && (number > maximum || (schema.BoolAt("exclusiveMaximum") == true && number >= maximum)))
        {
            errors.Add(FieldError.Invalid(path, scalar, $"{path} in body should be less than or equal to {max.ToJsonString()}"));
        }
    }

    private static void CheckEnum(JsonObject schema, JsonNode value, FieldPath path, FieldErrorList errors)
    {
        if (schema.ArrayAt("enum") is not { Count: > 0 } allowed || allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            return;
        }

        errors.Add(FieldError.NotSupported(path, Display(value), allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
    }

    private static string TypeOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsWhole(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool TypeMatches(string expected, string actual) =>
        expected == actual || (expected == "number" && actual == "integer");

    private static bool IsWhole(JsonValue value) => !value.ToJsonString().Contains('.', StringComparison.Ordinal) && !value.ToJsonString().Contains('e', StringComparison.OrdinalIgnoreCase);

    private static object? Display(JsonNode value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value;

    private static IEnumerable<string> Strings(JsonArray? array) => array?.Select(v => v?.GetValue<string>() ?? "") ?? [];
}
