using k8s.Models;

namespace Timonel.Agent.Tests.Simulated;

internal static class TestPods
{
    public static V1Pod Bound(string name, string node, string restartPolicy = "Always", int? readinessDelay = null, Dictionary<string, string>? annotations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Annotations = annotations },
        Spec = new V1PodSpec
        {
            NodeName = node,
            RestartPolicy = restartPolicy,
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "nginx",
                    ReadinessProbe = readinessDelay is { } delay ? new V1Probe { InitialDelaySeconds = delay, HttpGet = new V1HTTPGetAction { Port = 80 } } : null,
                },
            ],
        },
        Status = new V1PodStatus { Phase = "Pending", QosClass = "BestEffort" },
    };

    /// <summary>The pod as the informer sees it after the agent's status write.</summary>
    public static V1Pod WithStatus(V1Pod pod, V1PodStatus status) => pod with { Status = status };

    public static V1Pod Deleting(V1Pod pod, DateTimeOffset at) => pod with { Metadata = pod.Metadata with { DeletionTimestamp = at.UtcDateTime } };
}
