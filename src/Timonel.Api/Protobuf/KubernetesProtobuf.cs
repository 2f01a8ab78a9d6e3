using System.Text.Json.Nodes;

namespace Timonel.Api.Protobuf;

/// <summary>The Kubernetes protobuf wire format (application/vnd.kubernetes.protobuf), as client-go sends it.
/// A body is the 4-byte magic "k8s\0" followed by a runtime.Unknown message whose typeMeta names the
/// apiVersion and kind and whose raw field holds the typed message
/// (k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go, runtime/generated.proto).</summary>
public static class KubernetesProtobuf
{
    /// <summary>The media type of the protobuf form.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    // protobuf.go protoEncodingPrefix.
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    // runtime.Unknown field numbers (runtime/generated.proto).
    private const int UnknownTypeMeta = 1;
    private const int UnknownRaw = 2;
    private const int UnknownContentEncoding = 3;
    private const int UnknownContentType = 4;
    private const int TypeMetaApiVersion = 1;
    private const int TypeMetaKind = 2;

    /// <summary>Whether a Content-Type (parameters allowed) is the Kubernetes protobuf media type.</summary>
    public static bool IsProtobuf(string? mediaType) =>
        mediaType is not null && mediaType.Split(';', 2)[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes a protobuf body into the object's JSON form, with apiVersion and kind from the envelope.</summary>
    /// <exception cref="KubernetesProtobufException">The body is malformed or its kind has no schema.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body) => Decode(body, depth: 0);

    /// <summary>Decodes an object found <paramref name="depth"/> levels deep inside another (a raw extension).</summary>
    internal static JsonObject Decode(ReadOnlySpan<byte> body, int depth)
    {
        if (!HasMagic(body))
        {
            throw new KubernetesProtobufException("body does not start with the Kubernetes protobuf prefix \"k8s\\0\"");
        }
        var buffer = body[Magic.Length..].ToArray();
        string apiVersion = "", kind = "", contentEncoding = "";
        WireField? raw = null;
        foreach (var field in WireReader.ReadFields(buffer, 0, buffer.Length))
        {
            switch (field.Number)
            {
                case UnknownTypeMeta when field.WireType == WireType.LengthDelimited:
                    foreach (var typeMeta in WireReader.ReadFields(buffer, field.Offset, field.Length))
                    {
                        if (typeMeta.WireType != WireType.LengthDelimited)
                        {
                            continue;
                        }
                        var text = System.Text.Encoding.UTF8.GetString(buffer, typeMeta.Offset, typeMeta.Length);
                        if (typeMeta.Number == TypeMetaApiVersion)
                        {
                            apiVersion = text;
                        }
                        else if (typeMeta.Number == TypeMetaKind)
                        {
                            kind = text;
                        }
                    }
                    break;
                case UnknownRaw when field.WireType == WireType.LengthDelimited:
                    raw = field;
                    break;
                case UnknownContentEncoding when field.WireType == WireType.LengthDelimited:
                    contentEncoding = System.Text.Encoding.UTF8.GetString(buffer, field.Offset, field.Length);
                    break;
            }
        }
        if (contentEncoding.Length > 0)
        {
            throw new KubernetesProtobufException($"unsupported protobuf content encoding \"{contentEncoding}\"");
        }
        var schema = ProtobufSchema.Instance;
        var message = schema.FindKind(apiVersion, kind)
            ?? throw new KubernetesProtobufException($"no protobuf schema for kind \"{kind}\" in apiVersion \"{apiVersion}\"");

        var result = new JsonObject();
        // The embedded TypeMeta's json tags carry omitempty (meta/v1 types.go).
        if (apiVersion.Length > 0)
        {
            result["apiVersion"] = apiVersion;
        }
        if (kind.Length > 0)
        {
            result["kind"] = kind;
        }
        var fields = new ProtobufDecoder(buffer, schema, depth).DecodeObject(message, raw?.Offset ?? 0, raw?.Length ?? 0);
        foreach (var name in fields.Select(p => p.Key).ToList())
        {
            var value = fields[name];
            fields.Remove(name);
            result[name] = value;
        }
        return result;
    }

    /// <summary>Encodes an object's JSON form (apiVersion and kind required) as a protobuf body.</summary>
    /// <exception cref="KubernetesProtobufException">The object has no apiVersion/kind or its kind has no schema.</exception>
    public static byte[] Encode(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var kind = obj["kind"]?.GetValue<string>() ?? "";
        var schema = ProtobufSchema.Instance;
        var message = schema.FindKind(apiVersion, kind)
            ?? throw new KubernetesProtobufException($"no protobuf schema for kind \"{kind}\" in apiVersion \"{apiVersion}\"");
        var raw = new ProtobufEncoder(schema).EncodeObject(message, obj);

        // runtime/types_proto.go Unknown.MarshalToWriter writes all four fields, the empty ones too.
        var typeMeta = new WireWriter();
        typeMeta.WriteString(TypeMetaApiVersion, apiVersion);
        typeMeta.WriteString(TypeMetaKind, kind);
        var envelope = new WireWriter();
        envelope.WriteRaw(Magic);
        envelope.WriteMessage(UnknownTypeMeta, typeMeta);
        envelope.WriteMessage(UnknownRaw, raw);
        envelope.WriteString(UnknownContentEncoding, "");
        envelope.WriteString(UnknownContentType, "");
        return envelope.ToArray();
    }

    internal static bool HasMagic(ReadOnlySpan<byte> body) => body.StartsWith(Magic);
}
