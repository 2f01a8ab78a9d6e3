using System.Buffers;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.Storage;
using Timonel.Storage.Encryption;

namespace Timonel.ApiServer.Watch;

/// <summary>
/// Objects are stored without resourceVersion (as upstream's etcd3 store does); it is the key's mod revision,
/// set when the object is read.
/// </summary>
public static class StoredObject
{
    public static JsonObject Decode(KeyValue kv)
    {
        ThrowIfUndecryptable(kv.Value);
        var obj = (JsonObject)JsonNode.Parse(kv.Value, documentOptions: NestingLimit.DocumentOptions)!;
        SetResourceVersion(obj, kv.ModRevision);
        return obj;
    }

    /// <summary>
    /// Answers 500 for a value the storage could not decrypt (<see cref="TransformFailure"/>), with upstream's
    /// "Internal error occurred: unable to transform key ..." for that object, where the JSON would otherwise fail to
    /// parse.
    /// </summary>
    public static void ThrowIfUndecryptable(ReadOnlySpan<byte> stored)
    {
        if (TransformFailure.ErrorOf(stored) is { } error)
        {
            throw StatusException.Internal(error);
        }
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

    /// <summary>
    /// The object as served: the stored JSON with <c>"resourceVersion":"N"</c> put first into its metadata. Done on the
    /// bytes (a reader finds where metadata's object opens) rather than by parsing the object and writing it again,
    /// since every GET and every watch event serves an object this way.
    /// </summary>
    public static byte[] WithResourceVersion(byte[] stored, long revision)
    {
        var output = new ArrayBufferWriter<byte>(stored.Length + 32);
        WriteWithResourceVersion(output, stored, revision);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Appends <see cref="WithResourceVersion"/>'s bytes to <paramref name="output"/> (list bodies are built so).</summary>
    public static void WriteWithResourceVersion(IBufferWriter<byte> output, byte[] stored, long revision)
    {
        ThrowIfUndecryptable(stored);
        var metadata = FindMetadataObject(stored);
        if (metadata is null)
        {
            // No metadata object (not something this server stores), or one with a version already: take the tree.
            var obj = (JsonObject)JsonNode.Parse(stored, documentOptions: NestingLimit.DocumentOptions)!;
            SetResourceVersion(obj, revision);
            using var writer = new System.Text.Json.Utf8JsonWriter(output);
            obj.WriteTo(writer);
            return;
        }

        var (open, empty) = metadata.Value;
        output.Write(stored.AsSpan(0, open + 1));
        output.Write("\"resourceVersion\":\""u8);
        var digits = output.GetSpan(20);
        revision.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        output.Write(empty ? "\""u8 : "\","u8);
        output.Write(stored.AsSpan(open + 1));
    }

    /// <summary>The bytes to store: the object without its resourceVersion.</summary>
    public static byte[] Encode(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var resourceVersion = metadata?["resourceVersion"];
        metadata?.Remove("resourceVersion");
        try
        {
            return GoJson.Serialize(obj);
        }
        finally
        {
            if (metadata is not null && resourceVersion is not null)
            {
                metadata["resourceVersion"] = resourceVersion;
            }
        }
    }

    /// <summary>
    /// Where the top-level "metadata" object opens and whether it is empty; null when there is none, or when it already
    /// holds a resourceVersion (never in what Encode wrote), so the caller takes the slow, exact path.
    /// </summary>
    private static (int Open, bool Empty)? FindMetadataObject(byte[] stored)
    {
        var reader = new System.Text.Json.Utf8JsonReader(stored, NestingLimit.ReaderOptions);
        if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata)
            {
                reader.TrySkip();
                continue;
            }

            if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return null;
            }

            var open = (int)reader.TokenStartIndex;
            var empty = true;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                empty = false;
                if (reader.ValueTextEquals("resourceVersion"u8))
                {
                    return null;
                }

                reader.Read();
                reader.TrySkip();
            }

            return (open, empty);
        }

        return null;
    }
}
