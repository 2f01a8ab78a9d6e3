using k8s.Models;

namespace Timonel.Agent.Tests.Kubelet;

/// <summary>Pods bound to the node under test.</summary>
internal static class KubeletPods
{
    public static V1Pod Pod(string name, string restartPolicy = "Always", params V1Container[] containers) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name },
        Spec = new V1PodSpec
        {
            NodeName = "node-0",
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 30,
            Containers = containers.Length > 0 ? [.. containers] : [Container("app")],
        },
        Status = new V1PodStatus { Phase = "Pending", QosClass = "BestEffort" },
    };

    public static V1Container Container(string name, string image = "busybox:1.36") => new() { Name = name, Image = image, ImagePullPolicy = "IfNotPresent" };

    public static V1Pod WithInit(V1Pod pod, params V1Container[] init) => pod with { Spec = pod.Spec with { InitContainers = [.. init] } };

    public static V1Pod Deleting(V1Pod pod, DateTimeOffset at, long grace = 30) =>
        pod with { Metadata = pod.Metadata with { DeletionTimestamp = at.UtcDateTime, DeletionGracePeriodSeconds = grace } };
}
