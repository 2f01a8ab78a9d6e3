using System.Text.Json;
using System.Text.Json.Nodes;
using Timonel.Api.Objects;
using Timonel.Storage.Encryption;

namespace Timonel.ApiServer.Encryption;

/// <summary>
/// kube-apiserver's EncryptionConfiguration (apiserver.config.k8s.io/v1), read from YAML or JSON, checked as upstream's
/// validation does (k8s.io/apiserver/pkg/apis/apiserver/validation), written as JSON, and compiled into the
/// transformers the storage decorator uses.
/// </summary>
public sealed record EncryptionConfiguration(IReadOnlyList<EncryptionResources> Resources)
{
    public const string ApiVersion = "apiserver.config.k8s.io/v1";
    public const string Kind = "EncryptionConfiguration";

    // Upstream's validation.go: aescbc and aesgcm take AES-128/192/256 keys, secretbox a 32-byte key.
    private static readonly int[] _aesKeySizes = [16, 24, 32];
    private static readonly int[] _secretboxKeySizes = [32];

    // Base64 secrets as they are ('+' not escaped), so the file reads as the user would write it.
    private static readonly JsonSerializerOptions _writeOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> with every problem found.</summary>
    public static EncryptionConfiguration Parse(string text)
    {
        JsonNode? root;
        try
        {
            root = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : YamlConverter.ToJson(text);
        }
        catch (Exception ex) when (ex is JsonException or YamlConversionException)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        if (root is not JsonObject obj)
        {
            throw new InvalidDataException("EncryptionConfiguration can't be nil");
        }

        if (obj["kind"]?.ToString() != Kind || obj["apiVersion"]?.ToString() != ApiVersion)
        {
            throw new InvalidDataException($"no kind \"{obj["kind"]}\" is registered for version \"{obj["apiVersion"]}\": expected kind {Kind}, apiVersion {ApiVersion}");
        }

        var errors = new List<string>();
        var resources = new List<EncryptionResources>();
        var entries = obj["resources"] as JsonArray ?? [];
        if (entries.Count == 0)
        {
            errors.Add("resources: Required value: at least one resource is required");
        }

        for (var i = 0; i < entries.Count; i++)
        {
            resources.Add(ParseEntry(entries[i] as JsonObject ?? [], $"resources[{i}]", errors));
        }

        return errors.Count > 0 ? throw new InvalidDataException(string.Join(", ", errors)) : new EncryptionConfiguration(resources);
    }

    /// <summary>Reads a configuration file; errors name the file as kube-apiserver's do.</summary>
    public static EncryptionConfiguration Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"error while parsing file: {path}: {ex.Message}", ex);
        }
    }

    public string ToJson()
    {
        var entries = new JsonArray();
        foreach (var entry in Resources)
        {
            var providers = new JsonArray();
            foreach (var provider in entry.Providers)
            {
                var body = new JsonObject();
                if (provider.Type != EncryptionProvider.Identity)
                {
                    body["keys"] = new JsonArray([.. provider.Keys.Select(k => (JsonNode)new JsonObject { ["name"] = k.Name, ["secret"] = k.Secret })]);
                }

                providers.Add(new JsonObject { [provider.Type] = body });
            }

            entries.Add(new JsonObject { ["resources"] = new JsonArray([.. entry.Resources.Select(r => (JsonNode)JsonValue.Create(r))]), ["providers"] = providers });
        }

        return new JsonObject { ["kind"] = Kind, ["apiVersion"] = ApiVersion, ["resources"] = entries }.ToJsonString(_writeOptions);
    }

    /// <summary>The transformers of every resource, in the configuration's order.</summary>
    public EncryptionTransformers Compile()
    {
        var compiled = new List<ResourceTransformers>();
        foreach (var entry in Resources)
        {
            var transformers = new PrefixTransformers([.. entry.Providers.SelectMany(Transformers)]);
            foreach (var resource in entry.Resources)
            {
                compiled.Add(new ResourceTransformers(KeyPrefix(resource), transformers));
            }
        }

        return new EncryptionTransformers(compiled);
    }

    /// <summary>
    /// Where a resource's objects are stored: group resources under /registry/GROUP/PLURAL/, core ones under
    /// /registry/PLURAL/ (ResourceDefinition's layout); <c>*.GROUP</c> is a whole group and <c>*.*</c> everything.
    /// </summary>
    public static string KeyPrefix(string resource)
    {
        var dot = resource.IndexOf('.', StringComparison.Ordinal);
        var (plural, group) = dot < 0 ? (resource, "") : (resource[..dot], resource[(dot + 1)..]);
        return (plural, group) switch
        {
            ("*", "*") => "/registry/",
            ("*", _) => $"/registry/{group}/",
            (_, "") => $"/registry/{plural}/",
            _ => $"/registry/{group}/{plural}/",
        };
    }

    private static IEnumerable<PrefixTransformer> Transformers(EncryptionProvider provider)
    {
        if (provider.Type == EncryptionProvider.Identity)
        {
            yield return PrefixTransformer.Identity;
            yield break;
        }

        foreach (var key in provider.Keys)
        {
            var secret = Convert.FromBase64String(key.Secret);
            IValueTransformer transformer = provider.Type switch
            {
                EncryptionProvider.AesCbc => new AesCbcTransformer(secret),
                EncryptionProvider.AesGcm => new AesGcmTransformer(secret),
                _ => new SecretboxTransformer(secret),
            };
            yield return new PrefixTransformer(provider.Type, key.Name, transformer);
        }
    }

    private static EncryptionResources ParseEntry(JsonObject entry, string path, List<string> errors)
    {
        var resources = (entry["resources"] as JsonArray ?? []).Select(r => r?.ToString() ?? "").ToList();
        if (resources.Count == 0)
        {
            errors.Add($"{path}.resources: Required value: at least one resource is required");
        }

        for (var i = 0; i < resources.Count; i++)
        {
            if (resources[i].Length == 0 || resources[i] == "*." || resources[i].StartsWith("*.", StringComparison.Ordinal) is false && resources[i].Contains('*', StringComparison.Ordinal))
            {
                errors.Add($"{path}.resources[{i}]: Invalid value: \"{resources[i]}\": resource must be a resource name, resource.group, *.group or *.* (all core resources, *., are not supported)");
            }
        }

        var providers = new List<EncryptionProvider>();
        var items = entry["providers"] as JsonArray ?? [];
        if (items.Count == 0)
        {
            errors.Add($"{path}.providers: Required value: at least one provider is required");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject ?? [];
            var providerPath = $"{path}.providers[{i}]";
            if (item.Count != 1)
            {
                errors.Add(item.Count == 0
                    ? $"{providerPath}: Invalid value: \"{{}}\": provider does not contain any of the expected providers: KMS, secretbox, aesgcm or aescbc"
                    : $"{providerPath}: Invalid value: \"{item.ToJsonString()}\": more than one provider specified in a single element, should split into different list elements");
                continue;
            }

            var (type, body) = item.First();
            switch (type)
            {
                case EncryptionProvider.Identity:
                    providers.Add(EncryptionProvider.IdentityProvider);
                    break;
                case EncryptionProvider.AesCbc or EncryptionProvider.AesGcm or EncryptionProvider.Secretbox:
                    providers.Add(new EncryptionProvider(type, ParseKeys(body as JsonObject ?? [], $"{providerPath}.{type}", type == EncryptionProvider.Secretbox ? _secretboxKeySizes : _aesKeySizes, errors)));
                    break;
                default:
                    errors.Add($"{providerPath}: Invalid value: \"{type}\": provider is not supported by this server (aescbc, aesgcm, secretbox, identity)");
                    break;
            }
        }

        return new EncryptionResources(resources, providers);
    }

    private static List<EncryptionKey> ParseKeys(JsonObject body, string path, int[] sizes, List<string> errors)
    {
        var keys = new List<EncryptionKey>();
        var items = body["keys"] as JsonArray ?? [];
        if (items.Count == 0)
        {
            errors.Add($"{path}.keys: Required value: at least one key is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var keyPath = $"{path}.keys[{i}]";
            var name = items[i]?["name"]?.ToString() ?? "";
            var secret = items[i]?["secret"]?.ToString() ?? "";
            if (name.Length == 0)
            {
                errors.Add($"{keyPath}.name: Required value: key's name is a mandatory field for a key");
            }
            else if (!names.Add(name))
            {
                errors.Add($"{keyPath}.name: Duplicate value: \"{name}\"");
            }

            if (secret.Length == 0)
            {
                errors.Add($"{keyPath}.secret: Required value: key's secret is a mandatory field for a key");
            }
            else if (!TryBase64(secret, out var bytes))
            {
                errors.Add($"{keyPath}.secret: Invalid value: \"REDACTED\": secrets must be base64 encoded");
            }
            else if (!sizes.Contains(bytes.Length))
            {
                errors.Add($"{keyPath}.secret: Invalid value: \"REDACTED\": secret is not of the expected length, got {bytes.Length}, expected one of [{string.Join(' ', sizes)}]");
            }

            keys.Add(new EncryptionKey(name, secret));
        }

        return keys;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
