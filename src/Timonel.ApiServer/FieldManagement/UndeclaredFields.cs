using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// Refuses an apply configuration that sets fields its type does not declare, whatever fieldValidation says: upstream
/// turns the configuration into a typed value first (structuredmerge.go, "failed to create typed patch object"), and
/// that conversion fails on them, so they are never merged into the object nor stored.
/// </summary>
internal static class UndeclaredFields
{
    public static void Refuse(JsonObject config, FieldType type, ResourceDefinition definition)
    {
        var errors = new List<string>();
        Walk(config, type, [], errors);
        if (errors.Count == 0)
        {
            return;
        }

        // structured-merge-diff's ValidationErrors: one error alone, or "errors:" and one indented line each.
        var detail = errors.Count == 1 ? errors[0] : string.Join("\n", errors.Select(e => "  " + e).Prepend("errors:"));
        // Upstream answers 500 here (kubernetes#122480, #139253); the mistake is the client's, so this is a 400 with
        // upstream's text: "(namespace/name; group/version, Kind=Kind)".
        var identity = $"{config.StringAt("metadata", "namespace")}/{config.StringAt("metadata", "name")}; {definition.Group}/{definition.Version}, Kind={definition.Kind}";
        throw StatusException.BadRequest($"failed to create typed patch object ({identity}): {detail}");
    }

    private static void Walk(JsonNode? value, FieldType type, List<string> path, List<string> errors)
    {
        switch (value)
        {
            case JsonObject fields:
                foreach (var (name, child) in fields)
                {
                    path.Add(FieldsV1Path.Field(name));
                    if (type.Declares(name))
                    {
                        Walk(child, type.Field(name), path, errors);
                    }
                    else
                    {
                        errors.Add($"{FieldsV1Path.Describe(path)}: field not declared in schema");
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray items:
                // Items of keyed lists and sets are named by key or value, of atomic lists by index, as upstream names them.
                var associative = type.KindOf(items) == FieldTypeKind.List;
                for (var i = 0; i < items.Count; i++)
                {
                    var element = associative ? ObjectFields.ItemElement(items[i], type) : null;
                    path.Add(element ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Walk(items[i], type.Item, path, errors);
                    path.RemoveAt(path.Count - 1);
                }

                break;
        }
    }
}
