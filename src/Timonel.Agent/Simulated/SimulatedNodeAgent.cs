using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Simulated;

/// <summary>
/// N simulated nodes and their pods, every timed step of theirs in one queue of due work with one timer: 5,000 nodes
/// cost 5,000 small objects and heap entries, not 5,000 sleeping loops.
/// </summary>
internal sealed class SimulatedNodeAgent : IDisposable
{
    private readonly INodeAgentApi _api;
    private readonly NodeLifecycle _nodeLifecycle;

    public SimulatedNodeAgent(INodeAgentApi api, SimulatedNodesOptions options, TimeProvider time, ILogger logger, ContainerEvents? events = null)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _api = api;
        Runner = new DueWorkRunner<SimulatedWork>(RunAsync, options.MaxConcurrentRequests, time, logger);
        Nodes = [.. Enumerable.Range(0, options.Count).Select(i => new SimulatedNode(
            i,
            options.NamePrefix + i,
            NodeAddressing.InternalIp(i),
            NodeAddressing.PodRange(options.ClusterCidr, i),
            PeriodicSlot.Phase(i, options.Count, NodeLeases.RenewInterval)))];
        var byName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        _nodeLifecycle = new NodeLifecycle(api, options, Runner, time, logger);
        Pods = new PodLifecycle(api, byName, Runner, events ?? ContainerEvents.None, time, logger);
    }

    public IReadOnlyList<SimulatedNode> Nodes { get; }

    public PodLifecycle Pods { get; }

    public DueWorkRunner<SimulatedWork> Runner { get; }

    public Task AllRegistered => _nodeLifecycle.AllRegistered;

    /// <summary>Reads the server's version (each node's kubeletVersion) and queues every node's registration.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _nodeLifecycle.KubeletVersion = await _api.ServerVersionAsync(cancellationToken);
        foreach (var node in Nodes)
        {
            Runner.ScheduleNow(new SimulatedWork(SimulatedWorkKind.RegisterNode, node));
        }
    }

    public void PodChanged(V1Pod pod) => Pods.Changed(pod);

    public void PodRemoved(V1Pod pod) => Pods.Removed(pod);

    public void Dispose() => Runner.Dispose();

    private Task RunAsync(SimulatedWork work, CancellationToken cancellationToken) => work.Kind switch
    {
        SimulatedWorkKind.RegisterNode => _nodeLifecycle.RegisterAsync(work.Node!, cancellationToken),
        SimulatedWorkKind.RenewLease => _nodeLifecycle.RenewLeaseAsync(work.Node!, cancellationToken),
        SimulatedWorkKind.ReportNodeStatus => _nodeLifecycle.ReportStatusAsync(work.Node!, cancellationToken),
        SimulatedWorkKind.SyncPod => Pods.SyncAsync(work.Pod!, cancellationToken),
        _ => Task.CompletedTask,
    };
}
