using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Json;

/// <summary>Small accessors for walking Kubernetes objects held as JSON trees.</summary>
public static class JsonNodeExtensions
{
    /// <summary>The node at a path of property names, or null where any step is missing or not an object.</summary>
    public static JsonNode? At(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        foreach (var step in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(step, out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? StringAt(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    public static long? LongAt(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue value ? AsLong(value) : null;

    /// <summary>
    /// A whole number, whichever CLR type holds it: parsed trees hold JSON elements, trees built in code hold
    /// ints or longs, and GetValue&lt;long&gt; refuses an int.
    /// </summary>
    public static long? AsLong(this JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        return long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static bool? BoolAt(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static JsonObject? ObjectAt(this JsonNode? node, params ReadOnlySpan<string> path) => node.At(path) as JsonObject;

    public static JsonArray? ArrayAt(this JsonNode? node, params ReadOnlySpan<string> path) => node.At(path) as JsonArray;

    /// <summary>The object at <paramref name="name"/>, created empty when missing (or replaced when not an object).</summary>
    public static JsonObject Child(this JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
        {
            return child;
        }

        child = [];
        obj[name] = child;
        return child;
    }

    /// <summary>Sets <paramref name="name"/> only when absent or null (upstream defaulting never overrides a set value).</summary>
    public static void SetDefault(this JsonObject obj, string name, JsonNode? value)
    {
        if (obj[name] is null)
        {
            obj[name] = value;
        }
    }

    /// <summary>Makes <paramref name="target"/> a deep copy of <paramref name="source"/> (the same instance, new content).</summary>
    public static void ReplaceContent(this JsonObject target, JsonObject source)
    {
        target.Clear();
        foreach (var (name, value) in source)
        {
            target[name] = value?.DeepClone();
        }
    }

    public static IEnumerable<JsonObject> Objects(this JsonArray? array) => array?.OfType<JsonObject>() ?? [];

    /// <summary>Structural equality of two trees (property order ignored).</summary>
    public static bool DeepEqual(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);
}
