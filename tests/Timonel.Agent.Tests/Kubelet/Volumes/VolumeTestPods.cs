using k8s.Models;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

/// <summary>Pods with the given volumes, in namespace "game", for the volume manager's tests.</summary>
public static class VolumeTestPods
{
    public static V1Pod With(params V1Volume[] volumes) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "game",
            NamespaceProperty = "game",
            Uid = Guid.NewGuid().ToString(),
            Labels = new Dictionary<string, string> { ["app"] = "game", ["tier"] = "web" },
            Annotations = new Dictionary<string, string> { ["note"] = "say \"hi\"" },
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = "runner",
            Containers = [new V1Container
            {
                Name = "app",
                Image = "busybox",
                Resources = new V1ResourceRequirements
                {
                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") },
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("32Mi") },
                },
            }],
            Volumes = volumes,
        },
    };

    public static V1ConfigMap ConfigMap(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "game" },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };

    public static V1Secret Secret(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "game" },
        Data = data.ToDictionary(d => d.Key, d => System.Text.Encoding.UTF8.GetBytes(d.Value)),
    };
}
