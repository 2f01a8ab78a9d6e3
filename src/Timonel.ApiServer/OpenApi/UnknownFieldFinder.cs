using System.Text.Json.Nodes;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// Finds the fields of an object that its kind's schema does not declare, as upstream's strict decoding does
/// (sigs.k8s.io/json reports them as "spec.containers[0].imagee": dot-separated names, [i] for list items). Maps
/// (labels, annotations, data, resource lists) take any key, and free-form values (RawExtension, FieldsV1, the JSON of
/// CRD schemas) are not looked into. Values of the wrong JSON type are left to validation.
/// </summary>
internal sealed class UnknownFieldFinder(KubernetesModels models)
{
    public IReadOnlyList<string> Find(Type model, JsonObject obj)
    {
        var unknown = new List<string>();
        WalkObject(model, obj, "", unknown);
        return unknown;
    }

    private void WalkObject(Type model, JsonObject obj, string path, List<string> unknown)
    {
        var properties = models.Properties(model);
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            var property = properties.FirstOrDefault(p => p.JsonName == name);
            if (property is null)
            {
                unknown.Add(fieldPath);
            }
            else if (value is not null)
            {
                WalkValue(property.Type, value, fieldPath, unknown);
            }
        }
    }

    private void WalkValue(Type type, JsonNode value, string path, List<string> unknown)
    {
        type = ClrShapes.Unwrap(type);
        if (ClrShapes.ElementOf(type) is { } element)
        {
            if (value is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        WalkValue(element, item, $"{path}[{i}]", unknown);
                    }
                }
            }
        }
        else if (ClrShapes.MapValueOf(type) is { } mapValue)
        {
            if (value is JsonObject map)
            {
                foreach (var (key, item) in map)
                {
                    if (item is not null)
                    {
                        WalkValue(mapValue, item, $"{path}.{key}", unknown);
                    }
                }
            }
        }
        else if (models.IsModel(type) && value is JsonObject obj)
        {
            WalkObject(type, obj, path, unknown);
        }
    }
}
