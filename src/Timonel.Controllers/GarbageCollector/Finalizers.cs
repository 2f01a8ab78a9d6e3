namespace Timonel.Controllers.GarbageCollector;

/// <summary>The finalizers deletion propagation rests on (metav1.FinalizerOrphanDependents, FinalizerDeleteDependents).</summary>
public static class Finalizers
{
    public const string OrphanDependents = "orphan";

    public const string DeleteDependents = "foregroundDeletion";
}
