namespace Timonel.Scheduler.Framework;

/// <summary>Why a pod fit no node (upstream framework.Diagnosis).</summary>
public sealed class Diagnosis
{
    public NodeToStatus NodeToStatus { get; } = new();

    /// <summary>The plugins that rejected the pod: the queue requeues it on the events they registered.</summary>
    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>A PreFilter rejection's message, shown instead of the per-node reasons.</summary>
    public string? PreFilterMessage { get; set; }

    /// <summary>The PostFilter plugins' message (preemption's), appended to the failure message.</summary>
    public string? PostFilterMessage { get; set; }

    public void AddPluginStatus(Status status)
    {
        if (status.Plugin is { } plugin && status.IsRejected)
        {
            UnschedulablePlugins.Add(plugin);
        }
    }
}
