using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;

namespace Timonel.Agent.Kubelet.Containers;

/// <summary>
/// Which Linux namespaces a pod's containers share (runtimeutil.NamespacesForPod): the node's network, PID and IPC
/// namespaces with hostNetwork, hostPID and hostIPC; otherwise the pod's, and a PID namespace per container unless
/// shareProcessNamespace.
/// </summary>
internal static class PodNamespaces
{
    public static NamespaceOption For(V1Pod pod) => new()
    {
        Network = pod.Spec.HostNetwork == true ? NamespaceMode.Node : NamespaceMode.Pod,
        Pid = pod.Spec.HostPID == true ? NamespaceMode.Node
            : pod.Spec.ShareProcessNamespace == true ? NamespaceMode.Pod
            : NamespaceMode.Container,
        Ipc = pod.Spec.HostIPC == true ? NamespaceMode.Node : NamespaceMode.Pod,
    };
}
