using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers.Environment;

/// <summary>
/// The service-link variables a pod sees (the kubelet's getServiceEnvVarMap): the master "kubernetes" Service of
/// the default namespace always, and the Services of the pod's own namespace when enableServiceLinks.
/// </summary>
internal sealed class ServiceLinks
{
    private readonly IPodObjects _objects;

    public ServiceLinks(IPodObjects objects) => _objects = objects;

    public async Task<IReadOnlyDictionary<string, string>> VariablesAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var services = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        try
        {
            foreach (var master in await _objects.ListServicesAsync(ServiceEnvironment.MasterServiceNamespace, cancellationToken))
            {
                if (master.Metadata.Name == ServiceEnvironment.MasterServiceName)
                {
                    services[master.Metadata.Name] = master;
                }
            }

            if (pod.Spec.EnableServiceLinks ?? true)
            {
                foreach (var service in await _objects.ListServicesAsync(ns, cancellationToken))
                {
                    services[service.Metadata.Name] = service;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ContainerConfigException("failed to list services when setting up env vars");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in ServiceEnvironment.From(services.Values.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)))
        {
            variables[name] = value;
        }

        return variables;
    }
}
