namespace Timonel.Scheduler.Framework;

/// <summary>A pod in the scheduling queue with its queueing history (upstream framework.QueuedPodInfo).</summary>
public sealed class QueuedPodInfo
{
    public QueuedPodInfo(PodInfo podInfo, DateTimeOffset timestamp)
    {
        PodInfo = podInfo;
        Timestamp = timestamp;
        InitialAttemptTimestamp = timestamp;
    }

    public PodInfo PodInfo { get; set; }

    public string Key => PodInfo.Key;

    /// <summary>When the pod was last added to the queue (its place among equal priorities; its backoff start).</summary>
    public DateTimeOffset Timestamp { get; set; }

    public DateTimeOffset InitialAttemptTimestamp { get; }

    /// <summary>How many scheduling cycles the pod has been through.</summary>
    public int Attempts { get; set; }

    /// <summary>The plugins that rejected the pod in its last cycle; empty after an error.</summary>
    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);
}
