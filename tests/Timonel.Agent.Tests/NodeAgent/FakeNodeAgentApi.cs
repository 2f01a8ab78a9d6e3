using k8s.Models;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Tests.NodeAgent;

/// <summary>Records what the agent writes, with the time of each write; knobs make writes fail.</summary>
internal sealed class FakeNodeAgentApi : INodeAgentApi
{
    private readonly TimeProvider _time;
    private int _uid;

    public FakeNodeAgentApi(TimeProvider time) => _time = time;

    public Dictionary<string, V1Node> Nodes { get; } = [];

    public Dictionary<string, V1Lease> Leases { get; } = [];

    public List<(string Node, DateTimeOffset At)> LeaseRenewals { get; } = [];

    public List<(string Node, DateTimeOffset At)> NodeStatusReports { get; } = [];

    public List<(string Pod, V1PodStatus Status, DateTimeOffset At)> PodStatuses { get; } = [];

    public List<(string Pod, string Uid)> DeletedPods { get; } = [];

    /// <summary>Lease updates fail while true (the server unreachable).</summary>
    public bool FailLeaseUpdates { get; set; }

    public Task<string> ServerVersionAsync(CancellationToken cancellationToken) => Task.FromResult("v1.32.0+timonel");

    public Task<V1Node> RegisterNodeAsync(V1Node node, CancellationToken cancellationToken)
    {
        node.Metadata.Uid = $"uid-{++_uid}";
        Nodes[node.Metadata.Name] = node;
        return Task.FromResult(node);
    }

    public Task PatchNodeStatusAsync(string name, V1NodeStatus status, CancellationToken cancellationToken)
    {
        Nodes[name].Status = status;
        NodeStatusReports.Add((name, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task<V1Lease> EnsureLeaseAsync(V1Lease lease, CancellationToken cancellationToken)
    {
        if (!Leases.TryGetValue(lease.Metadata.Name, out var stored))
        {
            lease.Metadata.ResourceVersion = "1";
            stored = Leases[lease.Metadata.Name] = lease;
            LeaseRenewals.Add((lease.Metadata.Name, _time.GetUtcNow()));
        }

        return Task.FromResult(stored);
    }

    public Task<string> RenewLeaseAsync(LeaseRenewal renewal, CancellationToken cancellationToken)
    {
        if (FailLeaseUpdates)
        {
            throw new HttpRequestException("connection refused");
        }

        var lease = Leases[renewal.Node];
        Assert.Equal(lease.Metadata.ResourceVersion, renewal.ResourceVersion);
        lease.Spec.RenewTime = renewal.RenewTime.UtcDateTime;
        lease.Metadata.ResourceVersion = (long.Parse(lease.Metadata.ResourceVersion) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        LeaseRenewals.Add((renewal.Node, _time.GetUtcNow()));
        return Task.FromResult(lease.Metadata.ResourceVersion);
    }

    public Task PatchPodStatusAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        PodStatuses.Add((pod.Metadata.Name, status, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task DeletePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        DeletedPods.Add((pod.Metadata.Name, pod.Metadata.Uid));
        return Task.CompletedTask;
    }

    public V1PodStatus LastStatus(string pod) => PodStatuses.Last(s => s.Pod == pod).Status;
}
