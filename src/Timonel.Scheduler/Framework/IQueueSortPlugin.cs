namespace Timonel.Scheduler.Framework;

/// <summary>Orders the active queue (upstream QueueSortPlugin).</summary>
public interface IQueueSortPlugin : IPlugin
{
    /// <summary>True when <paramref name="a"/> is to be scheduled before <paramref name="b"/>.</summary>
    bool Less(QueuedPodInfo a, QueuedPodInfo b);
}
