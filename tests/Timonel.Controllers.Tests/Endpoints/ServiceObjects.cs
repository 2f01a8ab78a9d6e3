using k8s.Models;

namespace Timonel.Controllers.Tests.Endpoints;

/// <summary>Services and pods as the API server would hold them, for both endpoint controllers' tests.</summary>
internal static class ServiceObjects
{
    public static V1Service Service(string name = "web", Dictionary<string, string>? selector = null, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns-1", Uid = $"uid-{name}", Labels = new Dictionary<string, string> { ["tier"] = "front" } },
        Spec = new V1ServiceSpec
        {
            Selector = selector ?? new Dictionary<string, string> { ["app"] = "hello" },
            ClusterIP = "10.43.0.10",
            Ports = ports.Length == 0 ? [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }] : ports,
        },
    };

    public static V1Pod Pod(string name, string? ip, bool ready = true, string app = "hello", string node = "node-1", params V1ContainerPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns-1", Uid = $"uid-{name}", Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "nginx", Ports = ports }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
        },
    };
}
