using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// A container's environment (the kubelet's makeEnvironmentVariables): envFrom first, then env in declared order
/// (values with <c>$(VAR)</c> references expanded against the variables before them and the service links, or read
/// from the downward API, a ConfigMap or a Secret), then the service-link variables the container does not declare.
/// </summary>
internal sealed class ContainerEnvironment
{
    private readonly IPodObjects _objects;
    private readonly ServiceLinks _serviceLinks;
    private readonly IReadOnlyDictionary<string, ResourceQuantity> _nodeAllocatable;

    public ContainerEnvironment(IPodObjects objects, IReadOnlyDictionary<string, ResourceQuantity> nodeAllocatable)
    {
        _objects = objects;
        _serviceLinks = new ServiceLinks(objects);
        _nodeAllocatable = nodeAllocatable;
    }

    /// <summary>The variables in order. Throws <see cref="ContainerConfigException"/> when a source is missing and not optional.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> BuildAsync(V1Pod pod, V1Container container, ContainerContext context, CancellationToken cancellationToken)
    {
        var serviceEnv = await _serviceLinks.VariablesAsync(pod, cancellationToken);
        var sources = new PodEnvSources(_objects, pod.Metadata.NamespaceProperty);
        var declared = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var envFrom in container.EnvFrom ?? [])
        {
            foreach (var (key, value) in await FromSourceAsync(envFrom, sources, cancellationToken))
            {
                var name = (envFrom.Prefix ?? "") + key;
                if (EnvVarNames.IsValid(name))
                {
                    declared[name] = value;
                }
            }
        }

        var lookup = VariableExpansion.LookupIn(declared, serviceEnv);
        foreach (var env in container.Env ?? [])
        {
            var value = await ValueAsync(env, pod, container, context, sources, lookup, cancellationToken);
            if (value is not null)
            {
                declared[env.Name] = value;
            }
        }

        return declared.Concat(serviceEnv.Where(pair => !declared.ContainsKey(pair.Key))).ToList();
    }

    private static async Task<IEnumerable<KeyValuePair<string, string>>> FromSourceAsync(V1EnvFromSource envFrom, PodEnvSources sources, CancellationToken cancellationToken)
    {
        var data = envFrom switch
        {
            { ConfigMapRef: { } configMap } => await sources.ConfigMapAsync(configMap.Name, configMap.Optional == true, cancellationToken),
            { SecretRef: { } secret } => await sources.SecretAsync(secret.Name, secret.Optional == true, cancellationToken),
            _ => null,
        };
        return (data ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal);
    }

    // null: an optional source that is missing, so the variable is left out.
    private async Task<string?> ValueAsync(V1EnvVar env, V1Pod pod, V1Container container, ContainerContext context, PodEnvSources sources, Func<string, string?> lookup, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(env.Value))
        {
            return VariableExpansion.Expand(env.Value, lookup);
        }

        return env.ValueFrom switch
        {
            { FieldRef: { } field } => PodFieldValues.Value(field.FieldPath, pod, context),
            { ResourceFieldRef: { } resource } => ResourceFieldValues.Value(resource, pod, container, _nodeAllocatable),
            { ConfigMapKeyRef: { } key } => await sources.ConfigMapKeyAsync(key, cancellationToken),
            { SecretKeyRef: { } key } => await sources.SecretKeyAsync(key, cancellationToken),
            _ => "",
        };
    }
}
