using k8s.Models;

namespace Timonel.Agent.Simulated;

/// <summary>The agent's memory of one pod bound to one of its nodes.</summary>
internal sealed class SimulatedPod
{
    private int _syncing;

    public SimulatedPod(V1Pod pod, SimulatedNode node)
    {
        Key = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        Uid = pod.Metadata.Uid;
        Node = node;
        Latest = pod;
    }

    public string Key { get; }

    public string Uid { get; }

    public SimulatedNode Node { get; }

    /// <summary>The pod as the informer last saw it (the cache's object: read-only).</summary>
    public V1Pod Latest { get; set; }

    public PodStage Stage { get; set; }

    public PodRun? Run { get; set; }

    /// <summary>The pod's address in its node's /24 (null for a host-network pod or one without an address yet).</summary>
    public int? IpOffset { get; set; }

    public string? PodIp { get; set; }

    /// <summary>How many containers were last reported ready (a change is written).</summary>
    public int ReadyReported { get; set; }

    /// <summary>Another sync was asked for while one ran: run once more when it ends.</summary>
    public bool SyncAgain { get; set; }

    /// <summary>Enters the pod's sync; false if one is already running (which then runs again).</summary>
    public bool TryEnterSync() => Interlocked.Exchange(ref _syncing, 1) == 0;

    public void ExitSync() => Volatile.Write(ref _syncing, 0);
}
