using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>Type-level accessors of an object's JSON form: apiVersion, kind and their GVK.</summary>
public static class KubeObject
{
    /// <summary>The object's apiVersion, or null.</summary>
    public static string? GetApiVersion(JsonObject obj) => JsonFields.GetString(obj, "apiVersion");

    /// <summary>The object's kind, or null.</summary>
    public static string? GetKind(JsonObject obj) => JsonFields.GetString(obj, "kind");

    /// <summary>The object's GVK from apiVersion and kind (empty strings where missing).</summary>
    public static GroupVersionKind GetGroupVersionKind(JsonObject obj) =>
        GroupVersionKind.FromApiVersionAndKind(GetApiVersion(obj) ?? string.Empty, GetKind(obj) ?? string.Empty);

    /// <summary>Sets apiVersion and kind.</summary>
    public static void SetGroupVersionKind(JsonObject obj, GroupVersionKind gvk)
    {
        obj["apiVersion"] = gvk.ApiVersion;
        obj["kind"] = gvk.Kind;
    }

    /// <summary>The metadata view of the object.</summary>
    public static ObjectMeta Meta(JsonObject obj) => new(obj);
}
