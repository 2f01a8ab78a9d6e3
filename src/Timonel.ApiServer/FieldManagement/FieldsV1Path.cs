using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.FieldManagement;

/// <summary>
/// Path elements as FieldsV1 spells them (structured-merge-diff's fieldpath serialization): "f:NAME" a field,
/// "k:{KEYS}" an item of a keyed list by its key fields (sorted by name, compact JSON), "v:VALUE" an item of a set
/// by its JSON value. And a path as conflict messages print it: ".spec.containers[name=\"nginx\"].image".
/// </summary>
public static class FieldsV1Path
{
    public const string FieldPrefix = "f:";
    public const string KeyPrefix = "k:";
    public const string ValuePrefix = "v:";

    public static string Field(string name) => FieldPrefix + name;

    /// <summary>The element of a keyed list's item: its key fields sorted by name, a missing one as its default.</summary>
    public static string Key(IReadOnlyList<KeyValuePair<string, JsonNode?>> keys)
    {
        var json = new JsonObject();
        foreach (var (name, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            json[name] = value?.DeepClone();
        }

        return KeyPrefix + GoJson.Compact(json);
    }

    public static string Value(JsonNode? value) => ValuePrefix + GoJson.Compact(value);

    /// <summary>The key fields of a "k:" element.</summary>
    public static JsonObject KeyFields(string element) =>
        JsonNode.Parse(element[KeyPrefix.Length..]) as JsonObject ?? throw new FormatException($"not a key element: {element}");

    /// <summary>The value of a "v:" element.</summary>
    public static JsonNode? SetValue(string element) => JsonNode.Parse(element[ValuePrefix.Length..]);

    /// <summary>".spec.template.spec.containers[name=\"nginx\"].image", as structured-merge-diff prints a path.</summary>
    public static string Describe(IReadOnlyList<string> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var element in path)
        {
            if (element.StartsWith(FieldPrefix, StringComparison.Ordinal))
            {
                text.Append('.').Append(element.AsSpan(FieldPrefix.Length));
            }
            else if (element.StartsWith(KeyPrefix, StringComparison.Ordinal))
            {
                var keys = KeyFields(element).Select(k => $"{k.Key}={GoJson.Compact(k.Value)}");
                text.Append('[').Append(string.Join(',', keys)).Append(']');
            }
            else if (element.StartsWith(ValuePrefix, StringComparison.Ordinal))
            {
                text.Append("[=").Append(element.AsSpan(ValuePrefix.Length)).Append(']');
            }
            else
            {
                text.Append('[').Append(element).Append(']');
            }
        }

        return text.ToString();
    }
}
