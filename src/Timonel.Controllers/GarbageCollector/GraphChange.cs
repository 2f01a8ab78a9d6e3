namespace Timonel.Controllers.GarbageCollector;

/// <summary>What an informer saw happen to an object (upstream's eventType in graph_builder.go).</summary>
public enum GraphChange
{
    Added,
    Updated,
    Deleted,
}
