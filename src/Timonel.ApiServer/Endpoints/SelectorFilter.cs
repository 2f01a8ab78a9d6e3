using System.Text.Json.Nodes;
using Timonel.Api.Selectors;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Compiles the labelSelector and fieldSelector query parameters into one object predicate. Field selectors
/// accept metadata.name and metadata.namespace for every kind plus the fields the kind's strategy supports.
/// </summary>
public static class SelectorFilter
{
    private static readonly JsonObject _empty = [];

    public static Func<JsonObject, bool>? Build(string labelSelector, string fieldSelector, ResourceDefinition definition)
    {
        var labels = ParseLabels(labelSelector);
        var fields = ParseFields(fieldSelector, definition);
        if (labels is null && fields is null)
        {
            return null;
        }

        return obj => (labels is null || labels.Matches(obj.Labels())) && (fields is null || fields.Matches(field => FieldValue(obj, field, definition)));
    }

    /// <summary>
    /// The part of a field selector that an object's storage key decides: its terms on metadata.name and
    /// metadata.namespace, as a predicate over (namespace, name); null when it has none. Both fields are immutable, so
    /// a key it refuses is refused for every version of the object: a watch skips the event without decoding it.
    /// </summary>
    public static Func<string?, string, bool>? BuildKeyFilter(string fieldSelector, ResourceDefinition definition)
    {
        var selector = ParseFields(fieldSelector, definition);
        var terms = selector?.Requirements.Where(r => r.Field is "metadata.name" or "metadata.namespace").ToList() ?? [];
        if (terms.Count == 0)
        {
            return null;
        }

        return (ns, name) => terms.All(term => term.Matches(field => field == "metadata.name" ? name : ns ?? ""));
    }

    private static LabelSelector? ParseLabels(string text)
    {
        if (text.Trim().Length == 0)
        {
            return null;
        }

        try
        {
            return LabelSelector.Parse(text);
        }
        catch (SelectorParseException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }
    }

    private static FieldSelector? ParseFields(string text, ResourceDefinition definition)
    {
        if (text.Trim().Length == 0)
        {
            return null;
        }

        FieldSelector selector;
        try
        {
            selector = FieldSelector.Parse(text);
        }
        catch (SelectorParseException ex)
        {
            throw StatusException.BadRequest(ex.Message);
        }

        // A field the kind cannot select on is refused up front, with upstream's conversion-func text.
        foreach (var requirement in selector.Requirements)
        {
            if (FieldValue(_empty, requirement.Field, definition) is null)
            {
                throw StatusException.BadRequest($"field label not supported: {requirement.Field}");
            }
        }

        return selector;
    }

    private static string? FieldValue(JsonObject obj, string field, ResourceDefinition definition) => field switch
    {
        "metadata.name" => obj.Name() ?? "",
        "metadata.namespace" => definition.Namespaced ? obj.Namespace() ?? "" : null,
        _ => definition.Strategy.GetSelectableField(obj, field),
    };
}
