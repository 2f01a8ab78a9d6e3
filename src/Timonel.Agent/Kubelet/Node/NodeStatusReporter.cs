using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Kubelet.Node;

/// <summary>
/// Registers the kubelet's Node and keeps it current (kubelet_node_status.go): the Lease renewed at every heartbeat,
/// the status written when Ready changes and otherwise every 5 minutes, as with node Leases upstream.
/// </summary>
internal sealed class NodeStatusReporter
{
    private readonly INodeAgentApi _api;
    private readonly IContainerRuntime _runtime;
    private readonly string _name;
    private readonly MachineInfo _machine;
    private readonly int _maxPods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string _kubeletVersion = "";
    private string _runtimeVersion = "";
    private string? _nodeUid;
    private string? _leaseVersion;
    private bool _ready;
    private DateTimeOffset _readySince;
    private DateTimeOffset _lastReport;

    public NodeStatusReporter(INodeAgentApi api, IContainerRuntime runtime, string name, MachineInfo machine, int maxPods, TimeProvider time, ILogger logger)
    {
        _api = api;
        _runtime = runtime;
        _name = name;
        _machine = machine;
        _maxPods = maxPods;
        _time = time;
        _logger = logger;
    }

    /// <summary>The status report interval with Leases (nodeStatusReportFrequency).</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(5);

    /// <summary>Creates the Node (or writes the status of the one there), then its Lease.</summary>
    public async Task RegisterAsync(string? podCidr, CancellationToken cancellationToken)
    {
        _kubeletVersion = await _api.ServerVersionAsync(cancellationToken);
        var version = await _runtime.VersionAsync(cancellationToken);
        _runtimeVersion = $"{version.RuntimeName}://{version.RuntimeVersion}";
        var runtime = await _runtime.StatusAsync(cancellationToken);
        var now = _time.GetUtcNow();
        _ready = KubeletNodeObjects.IsReady(runtime);
        _readySince = now;
        var stored = await _api.RegisterNodeAsync(KubeletNodeObjects.Node(_name, _machine, podCidr, _maxPods, _kubeletVersion, _runtimeVersion, runtime, now, _readySince), cancellationToken);
        _nodeUid = stored.Metadata.Uid;
        _lastReport = now;
        _logger.LogInformation("registered node {Node} ({IP}, {Runtime}, pod range {PodCidr})", _name, _machine.InternalIP, _runtimeVersion, stored.Spec?.PodCIDR ?? podCidr);
        await RenewLeaseAsync(now, cancellationToken);
    }

    /// <summary>Renews the Lease, and writes the status when Ready changed or the report interval passed.</summary>
    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await RenewLeaseAsync(now, cancellationToken);
        var runtime = await _runtime.StatusAsync(cancellationToken);
        var ready = KubeletNodeObjects.IsReady(runtime);
        if (ready == _ready && now - _lastReport < ReportInterval)
        {
            return;
        }

        if (ready != _ready)
        {
            _readySince = now;
            _ready = ready;
        }

        await _api.PatchNodeStatusAsync(_name, KubeletNodeObjects.Status(_name, _machine, _maxPods, _kubeletVersion, _runtimeVersion, runtime, now, _readySince), cancellationToken);
        _lastReport = now;
    }

    private async Task RenewLeaseAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            _leaseVersion = await NodeLeases.RenewAsync(_api, _name, _nodeUid!, _leaseVersion, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("renewing the Lease of node {Node} failed: {Error}", _name, ex.Message);
            _leaseVersion = null;
        }
    }
}
