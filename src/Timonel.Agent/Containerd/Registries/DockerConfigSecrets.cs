using System.Text;
using System.Text.Json;
using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Containerd.Registries;

/// <summary>
/// The credentials in an imagePullSecret: kubernetes.io/dockerconfigjson (.dockerconfigjson holding {"auths": {...}})
/// or the older kubernetes.io/dockercfg (.dockercfg holding the entries directly). Entries keep the base64
/// <c>auth</c> where no username and password are given, as the CRI lets the runtime decode it.
/// </summary>
public static class DockerConfigSecrets
{
    public const string DockerConfigJsonType = "kubernetes.io/dockerconfigjson";
    public const string DockerConfigJsonKey = ".dockerconfigjson";
    public const string DockerCfgType = "kubernetes.io/dockercfg";
    public const string DockerCfgKey = ".dockercfg";

    /// <summary>Adds the secret's entries to <paramref name="keyring"/>.</summary>
    /// <returns>Why the secret was not usable, or null when its entries were added.</returns>
    public static string? AddTo(DockerKeyring keyring, V1Secret secret)
    {
        var name = $"{secret.Metadata?.NamespaceProperty}/{secret.Metadata?.Name}";
        var (key, wrapped) = secret.Type switch
        {
            DockerConfigJsonType => (DockerConfigJsonKey, true),
            DockerCfgType => (DockerCfgKey, false),
            _ => (null, false),
        };
        if (key is null)
        {
            return $"imagePullSecret {name} is of type {secret.Type}, not {DockerConfigJsonType} or {DockerCfgType}";
        }

        if (secret.Data?.TryGetValue(key, out var bytes) != true || bytes is null)
        {
            return $"imagePullSecret {name} has no {key} key";
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var entries = wrapped ? (document.RootElement.TryGetProperty("auths", out var auths) ? auths : default) : document.RootElement;
            if (entries.ValueKind != JsonValueKind.Object)
            {
                return $"imagePullSecret {name}: {key} has no registry entries";
            }

            foreach (var entry in entries.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Object))
            {
                keyring.Add(entry.Name, ToAuthConfig(entry.Value));
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"imagePullSecret {name}: {key} is not valid JSON ({ex.Message})";
        }
    }

    private static AuthConfig ToAuthConfig(JsonElement entry)
    {
        var auth = new AuthConfig
        {
            Username = Text(entry, "username"),
            Password = Text(entry, "password"),
            Auth = Text(entry, "auth"),
            IdentityToken = Text(entry, "identitytoken"),
        };
        if (auth.Username.Length == 0 && auth.Auth.Length > 0 && Decode(auth.Auth) is { } pair)
        {
            (auth.Username, auth.Password) = pair;
        }

        return auth;
    }

    private static (string, string)? Decode(string auth)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Text(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
