using Microsoft.Extensions.Logging;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Simulated;

/// <summary>
/// What a kubelet does for its Node: register it (kubelet_node_status.go registerWithAPIServer), keep its Lease
/// renewed every 10 s (nodelease/controller.go), and post its status every 5 minutes (nodeStatusReportFrequency, the
/// rate when Leases carry the heartbeat; a simulated node's status never changes in between).
/// </summary>
internal sealed class NodeLifecycle
{
    private static readonly TimeSpan _registerRetry = TimeSpan.FromSeconds(1);
    private readonly INodeAgentApi _api;
    private readonly SimulatedNodesOptions _options;
    private readonly DueWorkRunner<SimulatedWork> _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _allRegistered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _registered;

    public NodeLifecycle(INodeAgentApi api, SimulatedNodesOptions options, DueWorkRunner<SimulatedWork> runner, TimeProvider time, ILogger logger)
    {
        _api = api;
        _options = options;
        _runner = runner;
        _time = time;
        _logger = logger;
        if (options.Count == 0)
        {
            _allRegistered.TrySetResult();
        }
    }

    /// <summary>The server's version, reported as kubeletVersion; read before the first registration.</summary>
    public string KubeletVersion { get; set; } = "";

    /// <summary>Completes when every node has registered once.</summary>
    public Task AllRegistered => _allRegistered.Task;

    public async Task RegisterAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            if (node.ReadySince == default)
            {
                node.ReadySince = now;
            }

            var stored = await _api.RegisterNodeAsync(NodeObjects.Node(node, _options, KubeletVersion, now), cancellationToken);
            node.Uid = stored.Metadata.Uid;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("registering node {Node} failed, retrying: {Error}", node.Name, ex.Message);
            _runner.Schedule(new SimulatedWork(SimulatedWorkKind.RegisterNode, node), now + _registerRetry);
            return;
        }

        if (Interlocked.Increment(ref _registered) == _options.Count)
        {
            _allRegistered.TrySetResult();
        }

        // The Lease right after registration (the kubelet starts its lease controller then), then at the node's slot.
        _runner.ScheduleNow(new SimulatedWork(SimulatedWorkKind.RenewLease, node));
        var statusPhase = PeriodicSlot.Phase(node.Index, _options.Count, NodeObjects.StatusReportInterval);
        _runner.Schedule(new SimulatedWork(SimulatedWorkKind.ReportNodeStatus, node), PeriodicSlot.After(now, NodeObjects.StatusReportInterval, statusPhase));
    }

    public async Task RenewLeaseAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            node.LeaseResourceVersion = await NodeLeases.RenewAsync(_api, node.Name, node.Uid!, node.LeaseResourceVersion, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Read it again next time (a conflict means someone else wrote it); the next slot is at most 10 s away,
            // well inside the 40 s the Lease lasts.
            _logger.LogDebug("renewing the Lease of {Node} failed: {Error}", node.Name, ex.Message);
            node.LeaseResourceVersion = null;
        }
        finally
        {
            _runner.Schedule(new SimulatedWork(SimulatedWorkKind.RenewLease, node), PeriodicSlot.After(now, NodeLeases.RenewInterval, node.LeasePhase));
        }
    }

    public async Task ReportStatusAsync(SimulatedNode node, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            await _api.PatchNodeStatusAsync(node.Name, NodeObjects.Status(node, _options, KubeletVersion, now), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug("reporting the status of {Node} failed: {Error}", node.Name, ex.Message);
        }
        finally
        {
            var phase = PeriodicSlot.Phase(node.Index, _options.Count, NodeObjects.StatusReportInterval);
            _runner.Schedule(new SimulatedWork(SimulatedWorkKind.ReportNodeStatus, node), PeriodicSlot.After(now, NodeObjects.StatusReportInterval, phase));
        }
    }
}
