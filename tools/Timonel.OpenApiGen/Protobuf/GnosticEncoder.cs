using System.Text.Json.Nodes;
using Timonel.Api.Protobuf;

namespace Timonel.OpenApiGen.Protobuf;

/// <summary>
/// Writes a swagger 2.0 JSON document as the protobuf openapi.v2.Document that kube-openapi serves at /openapi/v2 for
/// "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" (k8s.io/kube-openapi/pkg/handler, ToProtoBinary:
/// gnostic's openapi_v2.ParseDocument of the JSON, then proto.Marshal). Fields go out in field-number order with
/// proto3's defaults left out, as Go's proto.Marshal writes them; a key the message does not define is an error, as it
/// is for gnostic's parser, so the generator cannot silently drop part of a document.
/// </summary>
public static class GnosticEncoder
{
    /// <summary>The openapi.v2.Document of <paramref name="swagger"/>, a swagger 2.0 document.</summary>
    public static byte[] EncodeDocument(JsonNode swagger) => Encode(OpenApiV2Messages.Document, swagger, "$root").ToArray();

    private static WireWriter Encode(GnosticMessage message, JsonNode? value, string path)
    {
        var writer = new WireWriter();
        if (value is null)
        {
            throw Invalid(path, $"is null where {message} is expected");
        }

        if (message.Choose is { } choose)
        {
            // A oneof member is written even when it holds its type's default (additionalProperties: false).
            var number = choose(value);
            var field = message.Fields.Single(f => f.Number == number);
            Write(writer, number, field, value, path, always: true);
            return writer;
        }

        if (value is not JsonObject obj)
        {
            throw Invalid(path, $"is a {value.GetValueKind()} where {message} (an object) is expected");
        }

        if (obj.Select(p => p.Key).FirstOrDefault(key => !message.Fields.Any(f => f.Takes(key))) is { } unknown)
        {
            throw Invalid(path, $"has \"{unknown}\", which {message} does not define");
        }

        foreach (var field in message.Fields)
        {
            if (field.Key is { } key)
            {
                if (obj.TryGetPropertyValue(key, out var property))
                {
                    Write(writer, field.Number, field, property, $"{path}.{key}", always: false);
                }

                continue;
            }

            foreach (var (name, property) in obj.Where(p => field.Takes(p.Key)))
            {
                // gnostic's Named* pair: string name = 1; the value = 2.
                var entry = new WireWriter();
                entry.WriteString(1, name);
                Write(entry, 2, field, property, $"{path}.{name}", always: false);
                writer.WriteMessage(field.Number, entry);
            }
        }

        return writer;
    }

    private static void Write(WireWriter writer, int number, GnosticField field, JsonNode? value, string path, bool always)
    {
        switch (field.Kind)
        {
            case GnosticFieldKind.String:
                var text = Scalar<string>(value, path);
                if (always || text.Length > 0)
                {
                    writer.WriteString(number, text);
                }

                break;
            case GnosticFieldKind.Bool:
                var flag = Scalar<bool>(value, path);
                if (always || flag)
                {
                    writer.WriteVarint(number, flag ? 1UL : 0UL);
                }

                break;
            case GnosticFieldKind.Double:
                var bits = BitConverter.DoubleToUInt64Bits(Scalar<double>(value, path));
                if (always || bits != 0)
                {
                    writer.WriteFixed64(number, bits);
                }

                break;
            case GnosticFieldKind.Int64:
                var integer = Scalar<long>(value, path);
                if (always || integer != 0)
                {
                    writer.WriteVarint(number, (ulong)integer);
                }

                break;
            case GnosticFieldKind.Strings:
                // Repeated strings are written element by element, empty ones included.
                foreach (var item in Items(value))
                {
                    writer.WriteString(number, Scalar<string>(item, path));
                }

                break;
            case GnosticFieldKind.Message:
                writer.WriteMessage(number, Encode(field.Message!, value, path));
                break;
            case GnosticFieldKind.Messages:
                foreach (var item in Items(value))
                {
                    writer.WriteMessage(number, Encode(field.Message!, item, path));
                }

                break;
            case GnosticFieldKind.Any:
                writer.WriteMessage(number, YamlAny(value));
                break;
            case GnosticFieldKind.Anys:
                foreach (var item in Items(value))
                {
                    writer.WriteMessage(number, YamlAny(item));
                }

                break;
            default:
                throw new InvalidOperationException($"unknown field kind {field.Kind}");
        }
    }

    /// <summary>
    /// openapi.v2.Any as gnostic's NewAny builds it: no google.protobuf.Any value (field 1), the value's YAML in
    /// field 2 (compiler.Marshal of the parsed node).
    /// </summary>
    private static WireWriter YamlAny(JsonNode? value)
    {
        var any = new WireWriter();
        any.WriteString(2, YamlText.Write(value));
        return any;
    }

    private static IEnumerable<JsonNode?> Items(JsonNode? value) => value is JsonArray array ? array : new[] { value };

    private static T Scalar<T>(JsonNode? value, string path)
    {
        try
        {
            if (value is JsonValue scalar)
            {
                return scalar.GetValue<T>();
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
        }

        var expected = default(T) switch
        {
            bool => "a boolean",
            double => "a number",
            long => "an integer",
            _ => "a string",
        };
        throw Invalid(path, $"is {value?.ToJsonString() ?? "null"}, not {expected}");
    }

    private static GnosticEncodingException Invalid(string path, string message) => new($"{path} {message}");
}
