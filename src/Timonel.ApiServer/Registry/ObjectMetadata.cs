using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry;

/// <summary>Typed access to the metadata of an object held as a JSON tree.</summary>
public static class ObjectMetadata
{
    public static JsonObject Metadata(this JsonObject obj) => obj.Child("metadata");

    public static string? Name(this JsonObject obj) => obj.StringAt("metadata", "name");

    public static string? Namespace(this JsonObject obj) => obj.StringAt("metadata", "namespace");

    public static string? Uid(this JsonObject obj) => obj.StringAt("metadata", "uid");

    public static string? ResourceVersion(this JsonObject obj) => obj.StringAt("metadata", "resourceVersion");

    public static string? CreationTimestamp(this JsonObject obj) => obj.StringAt("metadata", "creationTimestamp");

    public static string? DeletionTimestamp(this JsonObject obj) => obj.StringAt("metadata", "deletionTimestamp");

    public static IReadOnlyDictionary<string, string> Labels(this JsonObject obj) => StringMap(obj.ObjectAt("metadata", "labels"));

    public static IReadOnlyDictionary<string, string> Annotations(this JsonObject obj) => StringMap(obj.ObjectAt("metadata", "annotations"));

    public static IReadOnlyList<string> Finalizers(this JsonObject obj) =>
        obj.ArrayAt("metadata", "finalizers")?.Select(f => f?.GetValue<string>() ?? "").ToList() ?? [];

    /// <summary>Timestamps on the wire are RFC 3339 with second precision and a Z (metav1.Time).</summary>
    public static string FormatTimestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    public static IReadOnlyDictionary<string, string> StringMap(JsonObject? map)
    {
        if (map is null)
        {
            return new Dictionary<string, string>();
        }

        var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            result[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
        }

        return result;
    }
}
