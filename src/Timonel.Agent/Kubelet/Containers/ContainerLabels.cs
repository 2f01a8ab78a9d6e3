using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// The labels and annotations a container carries in the runtime (kuberuntime's newContainerLabels and
/// newContainerAnnotations): whose pod it is and its name, to find it again; its spec hash, restart count,
/// termination-message settings, grace periods, preStop hook and ports, to manage it without the API.
/// </summary>
internal static class ContainerLabels
{
    public static IEnumerable<KeyValuePair<string, string>> Labels(V1Pod pod, V1Container container) =>
    [
        new(KubeletLabels.PodName, pod.Metadata.Name),
        new(KubeletLabels.PodNamespace, pod.Metadata.NamespaceProperty),
        new(KubeletLabels.PodUid, pod.Metadata.Uid),
        new(KubeletLabels.ContainerName, container.Name),
    ];

    public static IEnumerable<KeyValuePair<string, string>> Annotations(V1Pod pod, V1Container container, uint restartCount)
    {
        yield return new(KubeletLabels.ContainerHashAnnotation, ContainerHash.Of(container));
        yield return new(KubeletLabels.RestartCountAnnotation, restartCount.ToString(CultureInfo.InvariantCulture));
        yield return new(KubeletLabels.TerminationMessagePathAnnotation, container.TerminationMessagePath ?? ContainerMounts.DefaultTerminationMessagePath);
        yield return new(KubeletLabels.TerminationMessagePolicyAnnotation, container.TerminationMessagePolicy ?? "File");
        if (pod.Metadata.DeletionGracePeriodSeconds is { } deletionGrace)
        {
            yield return new(KubeletLabels.PodDeletionGracePeriodAnnotation, deletionGrace.ToString(CultureInfo.InvariantCulture));
        }

        if (pod.Spec.TerminationGracePeriodSeconds is { } terminationGrace)
        {
            yield return new(KubeletLabels.PodTerminationGracePeriodAnnotation, terminationGrace.ToString(CultureInfo.InvariantCulture));
        }

        if (container.Lifecycle?.PreStop is { } preStop)
        {
            yield return new(KubeletLabels.PreStopHandlerAnnotation, KubernetesJson.Serialize(preStop));
        }

        if (container.Ports is { Count: > 0 } ports)
        {
            yield return new(KubeletLabels.ContainerPortsAnnotation, KubernetesJson.Serialize(ports));
        }
    }
}
