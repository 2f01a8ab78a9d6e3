using System.Text.Json.Nodes;

namespace Timonel.Api.Objects;

/// <summary>One entry of <c>metadata.ownerReferences</c>, as metav1.OwnerReference.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool? Controller = null, bool? BlockOwnerDeletion = null)
{
    /// <summary>Reads an owner reference from its JSON form; missing strings read as "".</summary>
    public static OwnerReference FromJson(JsonObject json) => new(
        JsonFields.GetString(json, "apiVersion") ?? string.Empty,
        JsonFields.GetString(json, "kind") ?? string.Empty,
        JsonFields.GetString(json, "name") ?? string.Empty,
        JsonFields.GetString(json, "uid") ?? string.Empty,
        JsonFields.GetBool(json, "controller"),
        JsonFields.GetBool(json, "blockOwnerDeletion"));

    /// <summary>The JSON form, with the optional booleans only when set.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["name"] = Name,
            ["uid"] = Uid,
        };
        if (Controller is { } controller)
        {
            json["controller"] = controller;
        }
        if (BlockOwnerDeletion is { } block)
        {
            json["blockOwnerDeletion"] = block;
        }
        return json;
    }
}
