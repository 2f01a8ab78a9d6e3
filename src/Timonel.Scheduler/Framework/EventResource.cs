namespace Timonel.Scheduler.Framework;

/// <summary>The kinds of object whose changes requeue pods (upstream framework.EventResource).</summary>
public enum EventResource
{
    Pod,
    Node,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    WildCard,
}
