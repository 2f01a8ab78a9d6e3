using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Validation;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Registry.Core;

/// <summary>
/// ConfigMaps and Secrets (upstream's ValidateConfigMap, ValidateSecret and their updates): valid keys, at most
/// 1 MiB of data, data frozen once <c>immutable</c> is set, and the keys each secret type needs.
/// </summary>
internal static class ConfigDataValidation
{
    /// <summary>core.MaxSecretSize, which also bounds ConfigMaps.</summary>
    public const int MaxSize = 1024 * 1024;

    private const string ImmutableMessage = "field is immutable when `immutable` is set";

    public static FieldErrorList ValidateConfigMap(JsonObject configMap)
    {
        var errors = new FieldErrorList();
        long size = 0;
        var binary = configMap["binaryData"] as JsonObject;
        foreach (var (key, value) in configMap["data"] as JsonObject ?? [])
        {
            AddKey(errors, key, FieldPath.Root("data"));
            if (binary?.ContainsKey(key) == true)
            {
                errors.Add(FieldError.Invalid(FieldPath.Root("data").Key(key), key, "duplicate of key present in binaryData"));
            }

            size += Encoding.UTF8.GetByteCount(value is JsonValue text && text.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? string.Empty);
        }

        foreach (var (key, value) in binary ?? [])
        {
            AddKey(errors, key, FieldPath.Root("binaryData"));
            size += DecodedLength(value);
        }

        if (size > MaxSize)
        {
            // Upstream passes an empty path: the error is about the whole object.
            errors.Add(FieldError.TooLong(FieldPath.Root(string.Empty), MaxSize));
        }

        return errors;
    }

    public static FieldErrorList ValidateConfigMapUpdate(JsonObject configMap, JsonObject old)
    {
        var errors = new FieldErrorList();
        AddImmutableData(errors, configMap, old, "data", "binaryData");
        errors.AddRange(ValidateConfigMap(configMap));
        return errors;
    }

    public static FieldErrorList ValidateSecret(JsonObject secret)
    {
        var errors = new FieldErrorList();
        var dataPath = FieldPath.Root("data");
        var data = secret["data"] as JsonObject ?? [];
        long size = 0;
        foreach (var (key, value) in data)
        {
            AddKey(errors, key, dataPath);
            size += DecodedLength(value);
        }

        if (size > MaxSize)
        {
            errors.Add(FieldError.TooLong(dataPath, MaxSize));
        }

        switch (secret.StringAt("type"))
        {
            case "kubernetes.io/service-account-token":
                if (string.IsNullOrEmpty(secret.StringAt("metadata", "annotations", "kubernetes.io/service-account.name")))
                {
                    errors.Add(FieldError.Required(FieldPath.Root("metadata", "annotations").Key("kubernetes.io/service-account.name")));
                }

                break;
            case "kubernetes.io/dockercfg":
                RequireJson(errors, data, ".dockercfg", dataPath);
                break;
            case "kubernetes.io/dockerconfigjson":
                RequireJson(errors, data, ".dockerconfigjson", dataPath);
                break;
            case "kubernetes.io/basic-auth":
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required(dataPath.Key("username")));
                    errors.Add(FieldError.Required(dataPath.Key("password")));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (DecodedLength(data["ssh-privatekey"]) == 0)
                {
                    errors.Add(FieldError.Required(dataPath.Key("ssh-privatekey")));
                }

                break;
            case "kubernetes.io/tls":
                foreach (var key in new[] { "tls.crt", "tls.key" })
                {
                    if (!data.ContainsKey(key))
                    {
                        errors.Add(FieldError.Required(dataPath.Key(key)));
                    }
                }

                break;
        }

        return errors;
    }

    public static FieldErrorList ValidateSecretUpdate(JsonObject secret, JsonObject old)
    {
        var errors = new FieldErrorList();
        errors.AddRange(ObjectMetaValidation.ValidateImmutableField(secret["type"], old["type"], FieldPath.Root("type")));
        AddImmutableData(errors, secret, old, "data");
        errors.AddRange(ValidateSecret(secret));
        return errors;
    }

    private static void AddKey(FieldErrorList errors, string key, FieldPath path)
    {
        foreach (var message in NameValidation.IsConfigMapKey(key))
        {
            errors.Add(FieldError.Invalid(path.Key(key), key, message));
        }
    }

    /// <summary>Once the old object is immutable, it must stay so and its data fields must not change.</summary>
    private static void AddImmutableData(FieldErrorList errors, JsonObject updated, JsonObject old, params string[] dataFields)
    {
        if (old.BoolAt("immutable") != true)
        {
            return;
        }

        if (updated.BoolAt("immutable") != true)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("immutable"), ImmutableMessage));
        }

        foreach (var field in dataFields)
        {
            if (!JsonNode.DeepEquals(Normalise(updated[field]), Normalise(old[field])))
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root(field), ImmutableMessage));
            }
        }
    }

    // An empty map and no map are the same data (reflect.DeepEqual on decoded maps sees nil vs empty, but both decode to nil from {}).
    private static JsonNode? Normalise(JsonNode? node) => node is JsonObject { Count: 0 } ? null : node;

    private static void RequireJson(FieldErrorList errors, JsonObject data, string key, FieldPath dataPath)
    {
        if (!data.ContainsKey(key))
        {
            errors.Add(FieldError.Required(dataPath.Key(key)));
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(Decode(data[key]));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(FieldError.Invalid(dataPath.Key(key), "<secret contents redacted>", "json: cannot unmarshal " + GoJsonKind(document.RootElement.ValueKind) + " into Go value of type map[string]interface {}"));
            }
        }
        catch (JsonException)
        {
            // Go's json.Unmarshal error texts differ in detail; this is the common one for malformed input.
            errors.Add(FieldError.Invalid(dataPath.Key(key), "<secret contents redacted>", "unexpected end of JSON input"));
        }
    }

    private static string GoJsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    private static long DecodedLength(JsonNode? value) => Decode(value).Length;

    private static byte[] Decode(JsonNode? value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // Upstream rejects bad base64 while decoding; count the raw text.
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
