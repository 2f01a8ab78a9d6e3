using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>Typed reads of JSON object fields that tolerate absence and wrong types (returning null).</summary>
public static class JsonFields
{
    /// <summary>The string value of <paramref name="name"/>, or null when missing or not a string.</summary>
    public static string? GetString(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>The boolean value of <paramref name="name"/>, or null when missing or not a boolean.</summary>
    public static bool? GetBool(JsonObject? json, string name) => json?[name] is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        }
        : null;

    /// <summary>The integer value of <paramref name="name"/>, or null when missing or not an integer.</summary>
    public static long? GetInt64(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result)
            ? result
            : null;

    /// <summary>The object value of <paramref name="name"/>, or null.</summary>
    public static JsonObject? GetObject(JsonObject? json, string name) => json?[name] as JsonObject;

    /// <summary>The array value of <paramref name="name"/>, or null.</summary>
    public static JsonArray? GetArray(JsonObject? json, string name) => json?[name] as JsonArray;

    /// <summary>A string-to-string map (labels, annotations, selectors); non-string values are skipped.</summary>
    public static IReadOnlyDictionary<string, string> GetStringMap(JsonObject? json, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (GetObject(json, name) is { } map)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    result[key] = v.GetValue<string>();
                }
            }
        }
        return result;
    }

    /// <summary>A list of strings; non-string items are skipped.</summary>
    public static IReadOnlyList<string> GetStringList(JsonObject? json, string name) =>
        GetArray(json, name)?.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
            ?? (IReadOnlyList<string>)[];
}
