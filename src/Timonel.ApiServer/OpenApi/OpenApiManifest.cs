using System.Text.Json;

namespace Timonel.ApiServer.OpenApi;

/// <summary>
/// OpenApi/Generated/manifest.json: every stored document in serving order (v2, the v3 index, then each v3
/// group-version), with the hash and size of its JSON, so the server neither decompresses nor hashes a document
/// before a client asks for it: {"v2": {"hash": "...", "length": 1259238, "protobufLength": 1050000}, "v3": {...},
/// "v3/api/v1": {...}, ...}; protobufLength only for a document also stored in protobuf.
/// </summary>
internal static class OpenApiManifest
{
    private const string HashProperty = "hash";
    private const string LengthProperty = "length";
    private const string ProtobufLengthProperty = "protobufLength";

    public static IReadOnlyList<OpenApiDocument> Read(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.EnumerateObject().Select(entry => new OpenApiDocument(
                entry.Name,
                entry.Value.GetProperty(HashProperty).GetString()!,
                entry.Value.GetProperty(LengthProperty).GetInt64(),
                entry.Value.TryGetProperty(ProtobufLengthProperty, out var protobuf) ? protobuf.GetInt64() : null)),
        ];
    }

    public static byte[] Write(IEnumerable<OpenApiDocument> documents)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            foreach (var document in documents)
            {
                writer.WriteStartObject(document.Path);
                writer.WriteString(HashProperty, document.Hash);
                writer.WriteNumber(LengthProperty, document.Length);
                if (document.ProtobufLength is { } protobufLength)
                {
                    writer.WriteNumber(ProtobufLengthProperty, protobufLength);
                }
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
