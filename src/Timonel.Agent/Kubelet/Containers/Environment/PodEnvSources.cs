using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// The ConfigMaps and Secrets one container's environment reads, each fetched once, with upstream's errors for what
/// is missing and not optional.
/// </summary>
internal sealed class PodEnvSources
{
    private readonly IPodObjects _objects;
    private readonly string _namespace;
    private readonly Dictionary<string, V1ConfigMap?> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Secret?> _secrets = new(StringComparer.Ordinal);

    public PodEnvSources(IPodObjects objects, string ns)
    {
        _objects = objects;
        _namespace = ns;
    }

    /// <summary>A ConfigMap's data; null when it is missing and optional.</summary>
    public async Task<IDictionary<string, string>?> ConfigMapAsync(string name, bool optional, CancellationToken cancellationToken)
    {
        if (!_configMaps.TryGetValue(name, out var configMap))
        {
            configMap = await _objects.GetConfigMapAsync(_namespace, name, cancellationToken);
            _configMaps[name] = configMap;
        }

        return configMap is null
            ? Missing("configmap", name, optional)
            : configMap.Data ?? new Dictionary<string, string>();
    }

    /// <summary>A Secret's data decoded as text; null when it is missing and optional.</summary>
    public async Task<IDictionary<string, string>?> SecretAsync(string name, bool optional, CancellationToken cancellationToken)
    {
        if (!_secrets.TryGetValue(name, out var secret))
        {
            secret = await _objects.GetSecretAsync(_namespace, name, cancellationToken);
            _secrets[name] = secret;
        }

        return secret is null
            ? Missing("secret", name, optional)
            : (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetString(pair.Value));
    }

    /// <summary>One key of a ConfigMap; null when the ConfigMap or key is missing and optional.</summary>
    public async Task<string?> ConfigMapKeyAsync(V1ConfigMapKeySelector selector, CancellationToken cancellationToken)
    {
        var optional = selector.Optional == true;
        var data = await ConfigMapAsync(selector.Name, optional, cancellationToken);
        return Key(data, selector.Key, optional, "ConfigMap", selector.Name);
    }

    /// <summary>One key of a Secret; null when the Secret or key is missing and optional.</summary>
    public async Task<string?> SecretKeyAsync(V1SecretKeySelector selector, CancellationToken cancellationToken)
    {
        var optional = selector.Optional == true;
        var data = await SecretAsync(selector.Name, optional, cancellationToken);
        return Key(data, selector.Key, optional, "Secret", selector.Name);
    }

    private static IDictionary<string, string>? Missing(string kind, string name, bool optional) =>
        optional ? null : throw new ContainerConfigException($"{kind} \"{name}\" not found");

    private string? Key(IDictionary<string, string>? data, string key, bool optional, string kind, string name)
    {
        if (data is null)
        {
            return null;
        }

        if (data.TryGetValue(key, out var value))
        {
            return value;
        }

        return optional ? null : throw new ContainerConfigException($"couldn't find key {key} in {kind} {_namespace}/{name}");
    }
}
