using System.Text.Json.Nodes;
using Timonel.Storage;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// Objects are stored without resourceVersion (as upstream's etcd3 store does); it is the key's mod revision,
/// set when the object is read.
/// </summary>
public static class StoredObject
{
    public static JsonObject Decode(KeyValue kv)
    {
        var obj = (JsonObject)JsonNode.Parse(kv.Value)!;
        SetResourceVersion(obj, kv.ModRevision);
        return obj;
    }

    public static void SetResourceVersion(JsonObject obj, long revision)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            obj["metadata"] = metadata;
        }

        metadata["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static byte[] WithResourceVersion(byte[] stored, long revision)
    {
        var obj = (JsonObject)JsonNode.Parse(stored)!;
        SetResourceVersion(obj, revision);
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj);
    }

    /// <summary>The bytes to store: the object without its resourceVersion.</summary>
    public static byte[] Encode(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var resourceVersion = metadata?["resourceVersion"];
        metadata?.Remove("resourceVersion");
        try
        {
            return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(obj);
        }
        finally
        {
            if (metadata is not null && resourceVersion is not null)
            {
                metadata["resourceVersion"] = resourceVersion;
            }
        }
    }
}
