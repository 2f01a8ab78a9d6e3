using k8s.Models;
using Timonel.Agent.Kubelet;

namespace Timonel.Agent.Tests.Kubelet.Containers;

/// <summary>An <see cref="IPodObjects"/> over lists the test fills.</summary>
internal sealed class InMemoryPodObjects : IPodObjects
{
    public List<V1ConfigMap> ConfigMaps { get; } = [];

    public List<V1Secret> Secrets { get; } = [];

    public List<V1Service> Services { get; } = [];

    public InMemoryPodObjects WithConfigMap(string ns, string name, Dictionary<string, string> data)
    {
        ConfigMaps.Add(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data });
        return this;
    }

    public InMemoryPodObjects WithSecret(string ns, string name, Dictionary<string, string> data)
    {
        Secrets.Add(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Data = data.ToDictionary(pair => pair.Key, pair => System.Text.Encoding.UTF8.GetBytes(pair.Value)),
        });
        return this;
    }

    public InMemoryPodObjects WithService(string ns, string name, string clusterIP, params V1ServicePort[] ports)
    {
        Services.Add(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1ServiceSpec { ClusterIP = clusterIP, Ports = ports },
        });
        return this;
    }

    public Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(ConfigMaps.FirstOrDefault(c => c.Metadata.NamespaceProperty == ns && c.Metadata.Name == name));

    public Task<V1Secret?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Secrets.FirstOrDefault(s => s.Metadata.NamespaceProperty == ns && s.Metadata.Name == name));

    public Task<IReadOnlyList<V1Service>> ListServicesAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Service>>(Services.Where(s => s.Metadata.NamespaceProperty == ns).ToList());

    public Task<Authenticationv1TokenRequest> CreateTokenAsync(string ns, string serviceAccount, Authenticationv1TokenRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("container configuration asks for no tokens");
}
