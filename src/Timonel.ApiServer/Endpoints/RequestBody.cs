using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Timonel.Api.Objects;
using Timonel.Api.Protobuf;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// Reads a request body as a JSON tree: size-limited (upstream's 3 MiB maxRequestBodyBytes), JSON or YAML by
/// Content-Type, and every failure a 4xx with a message rather than an exception escaping.
/// </summary>
public static class RequestBody
{
    /// <summary>kube-apiserver's default --max-request-body-bytes... 3 MiB (apiserver/pkg/server/config.go).</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The Content-Type's media type in lower case; "" only when the header is missing or blank, which upstream reads as
    /// its first serializer's (JSON). A header whose media type part is empty (";charset=x") is kept as sent, so it is
    /// refused as unsupported like anything mime.ParseMediaType cannot parse.
    /// </summary>
    public static string MediaType(HttpRequest request)
    {
        var header = request.ContentType?.Trim() ?? "";
        var mediaType = header.Split(';', 2)[0].Trim().ToLowerInvariant();
        return mediaType.Length > 0 || header.Length == 0 ? mediaType : header;
    }

    /// <summary>
    /// The whole body, every read path's one way in. Kestrel reports broken framing (a chunk size past 64 bits, a bad
    /// chunk terminator) as an IOException from the read, not as BadHttpRequestException; Go's net/http refuses such a
    /// body too, so it is the client's error (400), never the server's.
    /// </summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadFramedBytesAsync(request, cancellationToken);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw StatusException.BadRequest($"the request body could not be read: {ex.Message}");
        }
    }

    private static async Task<byte[]> ReadFramedBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            if (length > MaxBytes)
            {
                throw TooLarge();
            }

            // The usual case (kubectl and client-go send Content-Length): read straight into an array of that size
            // instead of growing a stream through a scratch buffer, which showed in create profiles.
            var exact = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(exact, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw StatusException.BadRequest($"the request body ended before its Content-Length of {length} bytes");
            }

            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>The body of a create or update: a JSON object (application/json), YAML (application/yaml) or
    /// Kubernetes protobuf (application/vnd.kubernetes.protobuf, what kubectl's typed clients send).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = MediaType(request);
        // No Content-Type is the first serializer's (JSON); "*/*" names none, and upstream's NegotiateInputSerializer
        // refuses it like any other unknown type.
        if (mediaType is not ("application/json" or "application/yaml" or KubernetesProtobuf.MediaType or ""))
        {
            throw StatusException.UnsupportedMediaType(mediaType, ["application/json", "application/yaml", KubernetesProtobuf.MediaType]);
        }

        var bytes = await ReadBytesAsync(request, cancellationToken);
        JsonNode? node;
        if (mediaType == "application/yaml")
        {
            node = YamlBody.ToJson(bytes, out var strictError);
            // The serializer passes the body through YAMLToJSONStrict too and adds its error to the strict ones.
            StrictDecodingErrors.Record(request.HttpContext, strictError is null ? [] : [strictError]);
        }
        else if (KubernetesProtobuf.IsProtobuf(mediaType))
        {
            node = ParseBody(mediaType, bytes);
        }
        else
        {
            node = ParseJson(bytes, out var duplicates);
            StrictDecodingErrors.Record(request.HttpContext, duplicates.Select(StrictDecodingErrors.DuplicateField));
        }

        return node as JsonObject ?? throw StatusException.BadRequest("Object 'Kind' is missing in the request body: the body must be a JSON object");
    }

    /// <summary>A JSON or Kubernetes protobuf body (by media type) as a JSON tree.</summary>
    public static JsonNode? ParseBody(string mediaType, byte[] bytes)
    {
        if (!KubernetesProtobuf.IsProtobuf(mediaType))
        {
            return ParseJson(bytes);
        }

        try
        {
            var decoded = KubernetesProtobuf.Decode(bytes);
            // Maps and lists add JSON levels between messages, so the tree is checked as a JSON body's would be.
            return NestingLimit.Exceeded(decoded)
                ? throw new KubernetesProtobufException($"exceeded max depth of {NestingLimit.MaxDepth}")
                : decoded;
        }
        catch (KubernetesProtobufException ex)
        {
            throw StatusException.BadRequest($"the body of the request could not be decoded as protobuf: {ex.Message}");
        }
    }

    public static JsonNode? ParseJson(byte[] bytes) => ParseJson(bytes, out _);

    /// <summary>A JSON body as a tree, with the paths of keys it repeats (the last value of each is kept).</summary>
    public static JsonNode? ParseJson(byte[] bytes, out IReadOnlyList<string> duplicateFields)
    {
        if (bytes.Length == 0)
        {
            throw StatusException.BadRequest("the request body is empty");
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // Go's encoding/json (upstream's decoder) turns each invalid UTF-8 byte into U+FFFD instead of refusing the
            // body; do the same up front so every later reader of the tree sees valid strings.
            bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));
        }

        try
        {
            return GoJsonReader.Parse(bytes, out duplicateFields);
        }
        catch (JsonException ex)
        {
            throw StatusException.BadRequest($"the body of the request could not be decoded as JSON: {Describe(ex)}");
        }
        catch (DecoderFallbackException)
        {
            throw StatusException.BadRequest("the body of the request could not be decoded as JSON: invalid UTF-8");
        }
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Upstream's limitedReadBody text (endpoints/handlers/rest.go): "limit is 3145728".</summary>
    private static StatusException TooLarge() => StatusException.RequestEntityTooLarge($"limit is {MaxBytes}");
}
