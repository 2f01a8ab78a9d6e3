namespace Timonel.Scheduler.Framework;

/// <summary>
/// Why each node was rejected (upstream NodeToStatus): the nodes filtered have their own status; the nodes never
/// filtered (left out by PreFilter) share <see cref="AbsentNodesStatus"/>.
/// </summary>
public sealed class NodeToStatus
{
    private readonly Dictionary<string, Status> _statuses;

    public NodeToStatus(Dictionary<string, Status>? statuses = null, Status? absentNodesStatus = null)
    {
        _statuses = statuses ?? new(StringComparer.Ordinal);
        AbsentNodesStatus = absentNodesStatus ?? Status.UnschedulableAndUnresolvable();
    }

    public Status AbsentNodesStatus { get; set; }

    public int Count => _statuses.Count;

    public IReadOnlyDictionary<string, Status> Explicit => _statuses;

    public void Set(string nodeName, Status status) => _statuses[nodeName] = status;

    public Status Get(string nodeName) => _statuses.GetValueOrDefault(nodeName) ?? AbsentNodesStatus;
}
