using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;

namespace Timonel.Api.Protobuf;

/// <summary>Turns a typed Kubernetes protobuf message into the JSON tree Go's JSON marshaller would write for
/// the same object: field names from the json tags, omitempty honoured, value fields always present.</summary>
/// <remarks>Decoding recurses message by message; <paramref name="depth"/> counts the levels above this buffer, so
/// a body of nested messages (or of raw extensions inside raw extensions) stops at <see cref="NestingLimit"/> rather
/// than overflowing the stack.</remarks>
internal sealed class ProtobufDecoder(byte[] buffer, ProtobufSchema schema, int depth = 0)
{
    private static readonly List<WireField> _none = [];

    private int _depth = depth;

    public JsonObject DecodeObject(MessageSchema message, int offset, int length)
    {
        if (++_depth > NestingLimit.MaxDepth)
        {
            throw new KubernetesProtobufException($"exceeded max depth of {NestingLimit.MaxDepth}");
        }

        try
        {
            var byNumber = Group(offset, length);
            var result = new JsonObject();
            foreach (var field in message.Fields)
            {
                WriteField(result, field, byNumber.GetValueOrDefault(field.Number) ?? _none);
            }
            return result;
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>The JSON form of one message value, including the special forms (Time, Quantity...).</summary>
    public JsonNode? DecodeMessageValue(MessageSchema message, int offset, int length) => message.Special switch
    {
        SpecialForm.None => DecodeObject(message, offset, length),
        SpecialForm.Time => length == 0 ? null : FormatTime(Group(offset, length), micro: false),
        SpecialForm.MicroTime => length == 0 ? null : FormatTime(Group(offset, length), micro: true),
        SpecialForm.Duration => GoDuration.Format((long)(Last(Group(offset, length), 1)?.Value ?? 0)),
        SpecialForm.Quantity => Last(Group(offset, length), 1) is { } q ? Utf8(q) : "0",
        SpecialForm.IntOrString => DecodeIntOrString(Group(offset, length)),
        SpecialForm.RawExtension => DecodeRaw(Group(offset, length), allowProtobuf: true),
        SpecialForm.RawJson => DecodeRaw(Group(offset, length), allowProtobuf: false),
        SpecialForm.Items => DecodeObject(message, offset, length)["items"]?.DeepClone() ?? new JsonArray(),
        SpecialForm.SchemaOrArray or SpecialForm.SchemaOrBool or SpecialForm.SchemaOrStringArray =>
            DecodeSchemaUnion(message, DecodeObject(message, offset, length)),
        _ => throw new InvalidOperationException($"unhandled special form {message.Special}"),
    };

    private void WriteField(JsonObject target, FieldSchema field, List<WireField> occurrences)
    {
        switch (field.Go)
        {
            case GoKind.Inline:
                var inner = occurrences.Count == 0
                    ? DecodeObject(schema.Message(field.Type), 0, 0)
                    : DecodeObject(schema.Message(field.Type), occurrences[^1].Offset, occurrences[^1].Length);
                foreach (var name in inner.Select(p => p.Key).ToList())
                {
                    var value = inner[name];
                    inner.Remove(name);
                    target[name] = value;
                }
                break;
            case GoKind.Pointer:
                if (occurrences.Count > 0)
                {
                    target[field.JsonName] = DecodeSingle(field.Type, occurrences[^1]);
                }
                else if (!field.OmitEmpty)
                {
                    target[field.JsonName] = null;
                }
                break;
            case GoKind.Collection:
                var collection = field.Cardinality switch
                {
                    Cardinality.Repeated => DecodeRepeated(field.Type, occurrences),
                    Cardinality.Map => DecodeMap(field.Type, occurrences),
                    _ => occurrences.Count == 0 ? null : DecodeSingle(field.Type, occurrences[^1]),
                };
                var empty = collection is null or JsonArray { Count: 0 } or JsonObject { Count: 0 }
                    || (collection is JsonValue v && v.TryGetValue(out string? s) && s.Length == 0);
                if (!(empty && field.OmitEmpty))
                {
                    target[field.JsonName] = collection;
                }
                break;
            default:
                var single = occurrences.Count == 0 ? ZeroOf(field.Type) : DecodeSingle(field.Type, occurrences[^1]);
                // Go's omitempty drops zero scalars but never a struct value.
                if (!(field.OmitEmpty && field.IsScalar && IsZeroScalar(single)))
                {
                    target[field.JsonName] = single;
                }
                break;
        }
    }

    private JsonNode? DecodeSingle(string type, WireField wire) =>
        ProtobufScalars.IsScalar(type) ? DecodeScalar(type, wire) : DecodeMessageValue(schema.Message(type), Delimited(wire).Offset, wire.Length);

    private JsonArray? DecodeRepeated(string type, List<WireField> occurrences)
    {
        if (occurrences.Count == 0)
        {
            return null;
        }
        var array = new JsonArray();
        foreach (var wire in occurrences)
        {
            if (ProtobufScalars.IsPackable(type) && wire.WireType == WireType.LengthDelimited)
            {
                foreach (var element in Unpack(type, wire))
                {
                    array.Add(DecodeScalar(type, element));
                }
            }
            else
            {
                array.Add(DecodeSingle(type, wire));
            }
        }
        return array;
    }

    private JsonObject? DecodeMap(string valueType, List<WireField> occurrences)
    {
        if (occurrences.Count == 0)
        {
            return null;
        }
        var entries = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var entry in occurrences)
        {
            var fields = Group(Delimited(entry).Offset, entry.Length);
            var key = Last(fields, 1) is { } k ? Utf8(k) : "";
            entries[key] = Last(fields, 2) is { } value ? DecodeSingle(valueType, value) : ZeroOf(valueType);
        }
        var map = new JsonObject();
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }
        return map;
    }

    private JsonNode? DecodeScalar(string type, WireField wire) => type switch
    {
        ProtobufScalars.String => Utf8(wire),
        ProtobufScalars.Bytes => Convert.ToBase64String(buffer, Delimited(wire).Offset, wire.Length),
        ProtobufScalars.Bool => wire.Value != 0,
        ProtobufScalars.Int32 => (int)(long)wire.Value,
        ProtobufScalars.Int64 => (long)wire.Value,
        ProtobufScalars.UInt32 => (uint)wire.Value,
        ProtobufScalars.UInt64 => wire.Value,
        ProtobufScalars.Double => BitConverter.UInt64BitsToDouble(wire.Value),
        ProtobufScalars.Float => (double)BitConverter.UInt32BitsToSingle((uint)wire.Value),
        _ => throw new InvalidOperationException($"unknown scalar {type}"),
    };

    /// <summary>The JSON of a field absent from the wire: Go's zero value of its type.</summary>
    private JsonNode? ZeroOf(string type)
    {
        switch (type)
        {
            case ProtobufScalars.String or ProtobufScalars.Bytes:
                return "";
            case ProtobufScalars.Bool:
                return false;
            case ProtobufScalars.Double or ProtobufScalars.Float:
                return 0.0;
            case ProtobufScalars.Int32 or ProtobufScalars.Int64 or ProtobufScalars.UInt32 or ProtobufScalars.UInt64:
                return 0;
        }
        var message = schema.Message(type);
        return message.Special switch
        {
            SpecialForm.None or SpecialForm.Duration or SpecialForm.Quantity or SpecialForm.IntOrString or SpecialForm.SchemaOrBool
                => DecodeMessageValue(message, 0, 0),
            _ => null,
        };
    }

    private static bool IsZeroScalar(JsonNode? value) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue(out string? s) => s.Length == 0,
        JsonValue v when v.TryGetValue(out bool b) => !b,
        JsonValue v when v.TryGetValue(out double d) => d == 0,
        JsonValue v when v.TryGetValue(out long l) => l == 0,
        JsonValue v when v.TryGetValue(out ulong u) => u == 0,
        JsonValue v when v.TryGetValue(out int i) => i == 0,
        JsonValue v when v.TryGetValue(out uint ui) => ui == 0,
        _ => false,
    };

    private static string FormatTime(Dictionary<int, List<WireField>> fields, bool micro)
    {
        var seconds = (long)(Last(fields, 1)?.Value ?? 0);
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (!micro)
        {
            // meta/v1 time_proto.go keeps whole seconds only; time.go writes RFC3339 in UTC.
            return time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        // meta/v1 micro_time.go: RFC3339Micro = "2006-01-02T15:04:05.000000Z07:00", nanos truncated to micros.
        var nanos = (int)(Last(fields, 2)?.Value ?? 0);
        return time.AddTicks(nanos / 1000 * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    private JsonNode DecodeIntOrString(Dictionary<int, List<WireField>> fields)
    {
        // intstr.IntOrString: type 0 = Int (intVal), 1 = String (strVal).
        if ((long)(Last(fields, 1)?.Value ?? 0) == 1)
        {
            return Last(fields, 3) is { } s ? Utf8(s) : "";
        }
        return (int)(long)(Last(fields, 2)?.Value ?? 0);
    }

    private JsonNode? DecodeRaw(Dictionary<int, List<WireField>> fields, bool allowProtobuf)
    {
        if (Last(fields, 1) is not { } raw || raw.Length == 0)
        {
            return null;
        }
        var bytes = buffer.AsSpan(Delimited(raw).Offset, raw.Length);
        if (allowProtobuf && KubernetesProtobuf.HasMagic(bytes))
        {
            return KubernetesProtobuf.Decode(bytes, _depth);
        }
        try
        {
            return JsonNode.Parse(bytes, documentOptions: NestingLimit.DocumentOptions);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KubernetesProtobufException("embedded raw object is neither JSON nor Kubernetes protobuf", e);
        }
    }

    /// <summary>apiextensions marshal.go: each union writes whichever side is set.</summary>
    private static JsonNode? DecodeSchemaUnion(MessageSchema message, JsonObject fields)
    {
        var schemaValue = fields["Schema"]?.DeepClone();
        return message.Special switch
        {
            SpecialForm.SchemaOrArray => fields["JSONSchemas"] is JsonArray { Count: > 0 } schemas ? schemas.DeepClone() : schemaValue,
            SpecialForm.SchemaOrBool => schemaValue ?? (fields["Allows"]?.GetValue<bool>() ?? false),
            _ => fields["Property"] is JsonArray { Count: > 0 } property ? property.DeepClone() : schemaValue,
        };
    }

    private IEnumerable<WireField> Unpack(string type, WireField packed)
    {
        var position = packed.Offset;
        var end = packed.Offset + packed.Length;
        while (position < end)
        {
            switch (type)
            {
                case ProtobufScalars.Double:
                    yield return new WireField(packed.Number, WireType.Fixed64, BinaryPrimitives.ReadUInt64LittleEndian(Span(position, 8, end)), 0, 0);
                    position += 8;
                    break;
                case ProtobufScalars.Float:
                    yield return new WireField(packed.Number, WireType.Fixed32, BinaryPrimitives.ReadUInt32LittleEndian(Span(position, 4, end)), 0, 0);
                    position += 4;
                    break;
                default:
                    yield return new WireField(packed.Number, WireType.Varint, WireReader.ReadVarint(buffer.AsSpan(0, end), ref position), 0, 0);
                    break;
            }
        }
    }

    private ReadOnlySpan<byte> Span(int position, int count, int end) =>
        end - position >= count ? buffer.AsSpan(position, count) : throw new KubernetesProtobufException("truncated packed field");

    private Dictionary<int, List<WireField>> Group(int offset, int length)
    {
        var byNumber = new Dictionary<int, List<WireField>>();
        foreach (var wire in WireReader.ReadFields(buffer, offset, length))
        {
            if (!byNumber.TryGetValue(wire.Number, out var list))
            {
                byNumber[wire.Number] = list = [];
            }
            list.Add(wire);
        }
        return byNumber;
    }

    private static WireField? Last(Dictionary<int, List<WireField>> fields, int number) =>
        fields.TryGetValue(number, out var list) ? list[^1] : null;

    private string Utf8(WireField wire) => Encoding.UTF8.GetString(buffer, Delimited(wire).Offset, wire.Length);

    private static WireField Delimited(WireField wire) =>
        wire.WireType == WireType.LengthDelimited
            ? wire
            : throw new KubernetesProtobufException($"field {wire.Number} has wire type {(int)wire.WireType}, expected length-delimited");
}
