using System.Text.Json;

namespace Timonel.Api.Protobuf;

/// <summary>The message catalogue generated from upstream .proto and types.go files by
/// tools/protobuf-schema/generate.py, read once from the embedded schema.json on first use.</summary>
internal sealed class ProtobufSchema
{
    private const string ResourceName = "Timonel.Api.Protobuf.schema.json";
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1";

    private static readonly Lazy<ProtobufSchema> _instance = new(Load);

    private readonly Dictionary<string, MessageSchema> _messages;
    private readonly Dictionary<string, string> _packages;
    private readonly Dictionary<string, string> _apiVersions;

    private ProtobufSchema(Dictionary<string, MessageSchema> messages, Dictionary<string, string> packages)
    {
        _messages = messages;
        _packages = packages;
        _apiVersions = packages.ToDictionary(p => p.Value, p => p.Key);
    }

    public static ProtobufSchema Instance => _instance.Value;

    public MessageSchema Message(string name) =>
        _messages.TryGetValue(name, out var message)
            ? message
            : throw new KubernetesProtobufException($"no protobuf schema for message {name}");

    /// <summary>The message of a kind in an apiVersion. Options and Status objects (DeleteOptions,
    /// Status...) travel under every group's apiVersion but are meta/v1 messages.</summary>
    public MessageSchema? FindKind(string apiVersion, string kind)
    {
        if (!_packages.TryGetValue(apiVersion, out var package))
        {
            return null;
        }
        return _messages.GetValueOrDefault(package + "." + kind) ?? _messages.GetValueOrDefault(MetaPackage + "." + kind);
    }

    /// <summary>The apiVersion whose package defines a message, used as a fallback when encoding.</summary>
    public string? ApiVersionOf(string messageName)
    {
        var dot = messageName.LastIndexOf('.');
        return dot < 0 ? null : _apiVersions.GetValueOrDefault(messageName[..dot]);
    }

    private static ProtobufSchema Load()
    {
        using var stream = typeof(ProtobufSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;

        var specials = new Dictionary<string, SpecialForm>();
        foreach (var special in root.GetProperty("specials").EnumerateObject())
        {
            specials[special.Name] = ParseSpecial(special.Value.GetString()!);
        }

        var messages = new Dictionary<string, MessageSchema>();
        foreach (var message in root.GetProperty("messages").EnumerateObject())
        {
            var fields = message.Value.EnumerateArray().Select(ParseField).ToList();
            messages[message.Name] = new MessageSchema(message.Name, specials.GetValueOrDefault(message.Name), fields);
        }
        foreach (var (name, special) in specials)
        {
            messages.TryAdd(name, new MessageSchema(name, special, []));
        }

        var packages = root.GetProperty("groupVersions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new ProtobufSchema(messages, packages);
    }

    private static FieldSchema ParseField(JsonElement field)
    {
        var go = field[2].GetString() switch
        {
            "p" => GoKind.Pointer,
            "s" => GoKind.Collection,
            "i" => GoKind.Inline,
            _ => GoKind.Value,
        };
        var cardinality = field[3].GetString() switch
        {
            "r" => Cardinality.Repeated,
            "m" => Cardinality.Map,
            _ => Cardinality.Single,
        };
        return new FieldSchema(field[0].GetInt32(), field[1].GetString()!, go, cardinality, field[4].GetString()!, field[5].GetInt32() == 1);
    }

    private static SpecialForm ParseSpecial(string form) => form switch
    {
        "time" => SpecialForm.Time,
        "microtime" => SpecialForm.MicroTime,
        "duration" => SpecialForm.Duration,
        "quantity" => SpecialForm.Quantity,
        "intorstring" => SpecialForm.IntOrString,
        "rawextension" => SpecialForm.RawExtension,
        "rawjson" => SpecialForm.RawJson,
        "items" => SpecialForm.Items,
        "schemaorarray" => SpecialForm.SchemaOrArray,
        "schemaorbool" => SpecialForm.SchemaOrBool,
        "schemaorstringarray" => SpecialForm.SchemaOrStringArray,
        _ => throw new InvalidOperationException($"unknown special form {form} in {ResourceName}"),
    };
}
