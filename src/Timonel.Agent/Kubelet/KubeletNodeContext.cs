using Timonel.Agent.Kubelet.PodWorkers;

namespace Timonel.Agent.Kubelet;

/// <summary>What the pod workers need to know of their node: its IP, allocatable, where pods' files live, the runtime handler.</summary>
internal sealed class KubeletNodeContext
{
    public KubeletNodeContext(string hostIP, NodeResources allocatable, string dataDirectory, string runtimeHandler = "")
    {
        HostIP = hostIP;
        Allocatable = allocatable;
        DataDirectory = dataDirectory;
        RuntimeHandler = runtimeHandler;
    }

    /// <summary>The node's InternalIP (status.hostIP).</summary>
    public string HostIP { get; }

    public NodeResources Allocatable { get; }

    public string DataDirectory { get; }

    public string RuntimeHandler { get; }

    /// <summary>The pod's directory under the data directory (pods/&lt;uid&gt;, as upstream's /var/lib/kubelet/pods).</summary>
    public string PodDirectory(string podUid) => Path.Combine(DataDirectory, "pods", podUid);
}
