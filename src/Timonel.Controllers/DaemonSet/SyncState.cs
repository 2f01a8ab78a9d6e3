using k8s.Models;

namespace Timonel.Controllers.DaemonSet;

/// <summary>
/// What one sync of a DaemonSet works from (the object, the nodes, the current revision's hash and collision count)
/// and when it asks to look again: the earliest of the delays its steps requested (a failed pod's back-off,
/// minReadySeconds), as upstream's enqueueDaemonSetAfter calls do.
/// </summary>
internal sealed class SyncState(V1DaemonSet ds, IReadOnlyList<V1Node> nodes, string hash, int? collisionCount)
{
    private TimeSpan? _requeueAfter;

    public V1DaemonSet DaemonSet { get; } = ds;

    public IReadOnlyList<V1Node> Nodes { get; } = nodes;

    public string Hash { get; } = hash;

    public int? CollisionCount { get; } = collisionCount;

    public void RequeueAfter(TimeSpan delay)
    {
        if (_requeueAfter is null || delay < _requeueAfter)
        {
            _requeueAfter = delay;
        }
    }

    public SyncResult Result() => _requeueAfter is { } delay ? SyncResult.Requeue(delay) : SyncResult.Done;
}
