using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.PrioritySort;

/// <summary>Higher spec.priority first, then the pod queued earlier (upstream plugins/queuesort).</summary>
public sealed class PrioritySort : IQueueSortPlugin
{
    public const string PluginName = "PrioritySort";

    public string Name => PluginName;

    public bool Less(QueuedPodInfo a, QueuedPodInfo b)
    {
        var pa = a.PodInfo.Pod.Spec?.Priority ?? 0;
        var pb = b.PodInfo.Pod.Spec?.Priority ?? 0;
        return pa > pb || (pa == pb && a.Timestamp < b.Timestamp);
    }
}
