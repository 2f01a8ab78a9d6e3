using k8s.Models;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>What the kubelet keeps about one pod between its syncs (pod_workers.go podSyncStatus).</summary>
internal sealed class PodRecord
{
    public PodRecord(V1Pod pod) => Pod = pod;

    /// <summary>The pod as the API server last showed it.</summary>
    public V1Pod Pod { get; set; }

    public string Uid => Pod.Metadata.Uid;

    /// <summary>Admitted: it fit, its containers may run.</summary>
    public bool Admitted { get; set; }

    /// <summary>Gone from the API server (deleted for good while the kubelet may still run it).</summary>
    public bool Removed { get; set; }

    /// <summary>Nothing of the pod runs any more and nothing will (terminated, rejected or finished).</summary>
    public bool Terminated { get; set; }

    /// <summary>The final delete (grace 0) was sent for the pod.</summary>
    public bool DeleteSent { get; set; }

    /// <summary>When the kubelet admitted the pod (status.startTime).</summary>
    public DateTimeOffset StartTime { get; set; }

    /// <summary>Why containers the kubelet held back in the last sync wait, by name.</summary>
    public Dictionary<string, ContainerWaiting> Waiting { get; } = new(StringComparer.Ordinal);

    /// <summary>The ids of the running containers the prober was told of.</summary>
    public HashSet<string> Probed { get; } = new(StringComparer.Ordinal);

    /// <summary>When a back-off or retry ends: the pod syncs again then.</summary>
    public DateTimeOffset? WakeAt { get; set; }

    /// <summary>The pod's volumes once mounted.</summary>
    public IReadOnlyDictionary<string, MountedVolume>? Volumes { get; set; }

    /// <summary>The config of the sandbox the pod's containers run in.</summary>
    public PodSandboxConfig? SandboxConfig { get; set; }

    /// <summary>Syncs the pod again at <paramref name="at"/> unless it is due earlier already.</summary>
    public void WakeNoLaterThan(DateTimeOffset at)
    {
        if (WakeAt is null || at < WakeAt)
        {
            WakeAt = at;
        }
    }
}
