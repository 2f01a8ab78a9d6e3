using k8s.Models;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Containers;

/// <summary>Pods and container contexts for the configuration tests.</summary>
internal static class ConfigTestPods
{
    public static V1Pod Pod(params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "shop",
            Uid = "1f0c2b8e-uid",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["team"] = "blue" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-1",
            ServiceAccountName = "default",
            Containers = containers.Length > 0 ? containers : [Container()],
        },
    };

    public static V1Container Container(string name = "app") => new() { Name = name, Image = "nginx:alpine" };

    public static V1ResourceRequirements Resources(string? cpuRequest = null, string? memoryRequest = null, string? cpuLimit = null, string? memoryLimit = null) => new()
    {
        Requests = Amounts(("cpu", cpuRequest), ("memory", memoryRequest)),
        Limits = Amounts(("cpu", cpuLimit), ("memory", memoryLimit)),
    };

    public static ContainerContext Context(string podDirectory, IReadOnlyDictionary<string, MountedVolume>? volumes = null) =>
        new(0, podDirectory, ["10.42.0.5"], "192.168.1.10", volumes ?? new Dictionary<string, MountedVolume>());

    private static Dictionary<string, ResourceQuantity> Amounts(params (string Name, string? Value)[] amounts) =>
        amounts.Where(a => a.Value is not null).ToDictionary(a => a.Name, a => new ResourceQuantity(a.Value));
}
