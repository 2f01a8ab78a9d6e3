namespace Timonel.Agent.Kubelet;

/// <summary>
/// The labels and annotations the kubelet puts on sandboxes and containers in the runtime (kubelet/types/labels.go,
/// kuberuntime/labels.go): how it finds a pod's containers again after a restart, and how exec, attach and logs
/// find a pod's container by name.
/// </summary>
public static class KubeletLabels
{
    public const string PodName = "io.kubernetes.pod.name";
    public const string PodNamespace = "io.kubernetes.pod.namespace";
    public const string PodUid = "io.kubernetes.pod.uid";
    public const string ContainerName = "io.kubernetes.container.name";

    /// <summary>The sandbox's container name label value, as upstream's PodInfraContainerName.</summary>
    public const string PodInfraContainerName = "POD";

    public const string ContainerHashAnnotation = "io.kubernetes.container.hash";
    public const string RestartCountAnnotation = "io.kubernetes.container.restartCount";
    public const string TerminationMessagePathAnnotation = "io.kubernetes.container.terminationMessagePath";
    public const string TerminationMessagePolicyAnnotation = "io.kubernetes.container.terminationMessagePolicy";
    public const string PreStopHandlerAnnotation = "io.kubernetes.container.preStopHandler";
    public const string ContainerPortsAnnotation = "io.kubernetes.container.ports";
    public const string PodDeletionGracePeriodAnnotation = "io.kubernetes.pod.deletionGracePeriod";
    public const string PodTerminationGracePeriodAnnotation = "io.kubernetes.pod.terminationGracePeriod";
}
