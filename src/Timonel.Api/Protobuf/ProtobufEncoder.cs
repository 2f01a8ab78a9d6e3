using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Timonel.Api.Protobuf;

/// <summary>Writes an object's JSON form as its typed protobuf message, the way the gogo-generated Marshal
/// methods do: fields in number order, value fields always, pointers and collections only when set, map
/// entries sorted by key.</summary>
internal sealed class ProtobufEncoder(ProtobufSchema schema)
{
    public WireWriter EncodeObject(MessageSchema message, JsonObject json)
    {
        var writer = new WireWriter();
        foreach (var field in message.Fields.OrderBy(f => f.Number))
        {
            WriteField(writer, field, json);
        }
        return writer;
    }

    private void WriteField(WireWriter writer, FieldSchema field, JsonObject json)
    {
        if (field.Go == GoKind.Inline)
        {
            writer.WriteMessage(field.Number, EncodeObject(schema.Message(field.Type), json));
            return;
        }
        var value = json[field.JsonName];
        switch (field.Cardinality)
        {
            case Cardinality.Repeated:
                foreach (var element in value as JsonArray ?? [])
                {
                    WriteSingle(writer, field.Number, field.Type, element);
                }
                return;
            case Cardinality.Map:
                foreach (var (key, entryValue) in (value as JsonObject ?? []).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var entry = new WireWriter();
                    entry.WriteString(1, key);
                    WriteSingle(entry, 2, field.Type, entryValue);
                    writer.WriteMessage(field.Number, entry);
                }
                return;
        }
        // Value fields exist in every Go struct, so gogo writes them even when zero; the rest only when set.
        if (value is not null || field.Go == GoKind.Value)
        {
            WriteSingle(writer, field.Number, field.Type, value);
        }
    }

    private void WriteSingle(WireWriter writer, int number, string type, JsonNode? value)
    {
        switch (type)
        {
            case ProtobufScalars.String:
                writer.WriteString(number, value is null ? "" : value.GetValue<string>());
                return;
            case ProtobufScalars.Bytes:
                writer.WriteBytes(number, value is null ? [] : Convert.FromBase64String(value.GetValue<string>()));
                return;
            case ProtobufScalars.Bool:
                writer.WriteVarint(number, value is not null && value.GetValue<bool>() ? 1UL : 0UL);
                return;
            case ProtobufScalars.Int32 or ProtobufScalars.Int64:
                writer.WriteVarint(number, (ulong)Number<long>(value));
                return;
            case ProtobufScalars.UInt32 or ProtobufScalars.UInt64:
                writer.WriteVarint(number, Number<ulong>(value));
                return;
            case ProtobufScalars.Double:
                writer.WriteFixed64(number, BitConverter.DoubleToUInt64Bits(Number<double>(value)));
                return;
            case ProtobufScalars.Float:
                writer.WriteFixed32(number, BitConverter.SingleToUInt32Bits((float)Number<double>(value)));
                return;
        }
        writer.WriteMessage(number, EncodeMessageValue(schema.Message(type), value));
    }

    private WireWriter EncodeMessageValue(MessageSchema message, JsonNode? value)
    {
        var writer = new WireWriter();
        switch (message.Special)
        {
            case SpecialForm.None:
                return EncodeObject(message, value as JsonObject ?? []);
            case SpecialForm.Time or SpecialForm.MicroTime:
                // time_proto.go: a zero time is an empty message; otherwise Timestamp{seconds, nanos}.
                if (value is not null)
                {
                    var time = DateTimeOffset.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    writer.WriteVarint(1, (ulong)time.ToUnixTimeSeconds());
                    var nanos = message.Special == SpecialForm.MicroTime ? (time.UtcTicks % TimeSpan.TicksPerSecond) / 10 * 1000 : 0;
                    writer.WriteVarint(2, (ulong)nanos);
                }
                return writer;
            case SpecialForm.Duration:
                writer.WriteVarint(1, (ulong)(value is null ? 0 : GoDuration.Parse(value.GetValue<string>())));
                return writer;
            case SpecialForm.Quantity:
                writer.WriteString(1, value is null ? "0" : QuantityText(value));
                return writer;
            case SpecialForm.IntOrString:
                var isString = value is JsonValue v && v.TryGetValue(out string? _);
                writer.WriteVarint(1, isString ? 1UL : 0UL);
                writer.WriteVarint(2, isString ? 0UL : (ulong)Number<long>(value));
                writer.WriteString(3, isString ? value!.GetValue<string>() : "");
                return writer;
            case SpecialForm.RawExtension or SpecialForm.RawJson:
                if (value is not null)
                {
                    writer.WriteBytes(1, Encoding.UTF8.GetBytes(value.ToJsonString()));
                }
                return writer;
            case SpecialForm.Items:
                return EncodeObject(message, new JsonObject { ["items"] = value?.DeepClone() });
            default:
                return EncodeObject(message, SchemaUnionFields(message.Special, value));
        }
    }

    /// <summary>apiextensions marshal.go UnmarshalJSON: which side of the union a JSON value fills.</summary>
    private static JsonObject SchemaUnionFields(SpecialForm special, JsonNode? value) => (special, value) switch
    {
        (SpecialForm.SchemaOrArray, JsonArray array) => new JsonObject { ["JSONSchemas"] = array.DeepClone() },
        (SpecialForm.SchemaOrStringArray, JsonArray array) => new JsonObject { ["Property"] = array.DeepClone() },
        (SpecialForm.SchemaOrBool, JsonObject schemaObject) => new JsonObject { ["Allows"] = true, ["Schema"] = schemaObject.DeepClone() },
        (SpecialForm.SchemaOrBool, JsonValue allows) => new JsonObject { ["Allows"] = allows.GetValue<bool>() },
        (_, JsonObject schemaObject) => new JsonObject { ["Schema"] = schemaObject.DeepClone() },
        _ => [],
    };

    // A Quantity may arrive as a JSON number (resource.Quantity.UnmarshalJSON accepts both).
    private static string QuantityText(JsonNode value) =>
        value is JsonValue v && v.TryGetValue(out string? text) ? text : value.ToJsonString();

    private static T Number<T>(JsonNode? value)
        where T : IParsable<T>, INumberBase<T> =>
        value is null ? T.Zero : T.Parse(value.ToJsonString().Trim('"'), CultureInfo.InvariantCulture);
}
