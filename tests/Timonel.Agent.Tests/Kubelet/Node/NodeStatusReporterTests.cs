using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.Node;
using Timonel.Agent.Tests.NodeAgent;
using Timonel.Testing.Cri;

namespace Timonel.Agent.Tests.Kubelet.Node;

public sealed class NodeStatusReporterTests
{
    private static readonly MachineInfo _machine = new(4, 8L << 30, 100L << 30, "0123abcd", "boot-1", "uuid-1", "6.1.0-18-amd64", "Debian GNU/Linux 12 (bookworm)", "amd64", "box", "192.168.1.10");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Register_RealMachine_ReportsCapacityAddressesConditionsAndNodeInfo()
    {
        var (api, _, reporter) = Create();

        await reporter.RegisterAsync("10.42.3.0/24", CancellationToken.None);

        var node = api.Nodes["node-0"];
        Assert.Equal("10.42.3.0/24", node.Spec.PodCIDR);
        Assert.Equal("4", node.Status.Capacity["cpu"].ToString());
        Assert.Equal(8m * 1024 * 1024 * 1024, node.Status.Capacity["memory"].ToDecimal());
        Assert.Equal("110", node.Status.Capacity["pods"].ToString());
        Assert.Equal((8m * 1024 * 1024 * 1024) - (100m * 1024 * 1024), node.Status.Allocatable["memory"].ToDecimal());
        Assert.Equal([("InternalIP", "192.168.1.10"), ("Hostname", "node-0")], node.Status.Addresses.Select(a => (a.Type, a.Address)));
        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"], node.Status.Conditions.Select(c => c.Type));
        var ready = node.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("True", "KubeletReady", "kubelet is posting ready status"), (ready.Status, ready.Reason, ready.Message));
        Assert.Equal("KubeletHasSufficientMemory", node.Status.Conditions[0].Reason);
        var info = node.Status.NodeInfo;
        Assert.Equal(("containerd://1.6.20", "v1.32.0+timonel", "0123abcd", "boot-1", "6.1.0-18-amd64", "Debian GNU/Linux 12 (bookworm)", "amd64", "linux"),
            (info.ContainerRuntimeVersion, info.KubeletVersion, info.MachineID, info.BootID, info.KernelVersion, info.OsImage, info.Architecture, info.OperatingSystem));
        Assert.Equal("amd64", node.Metadata.Labels["kubernetes.io/arch"]);
        Assert.True(api.Leases.ContainsKey("node-0"));
    }

    [Fact]
    public async Task Heartbeat_NetworkNotReady_ReportsReadyFalseAtOnce()
    {
        var (api, runtime, reporter) = Create();
        await reporter.RegisterAsync(null, CancellationToken.None);

        runtime.NetworkReady = false;
        _time.Advance(TimeSpan.FromSeconds(10));
        await reporter.HeartbeatAsync(CancellationToken.None);

        var ready = api.Nodes["node-0"].Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "KubeletNotReady"), (ready.Status, ready.Reason));
        Assert.Equal("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized", ready.Message);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
    }

    [Fact]
    public async Task Heartbeat_Unchanged_RenewsTheLeaseAndReportsOnlyEveryFiveMinutes()
    {
        var (api, _, reporter) = Create();
        await reporter.RegisterAsync(null, CancellationToken.None);

        for (var i = 0; i < 30; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await reporter.HeartbeatAsync(CancellationToken.None);
        }

        Assert.Equal(31, api.LeaseRenewals.Count);
        Assert.Single(api.NodeStatusReports);
    }

    private (FakeNodeAgentApi Api, FakeContainerRuntime Runtime, NodeStatusReporter Reporter) Create()
    {
        var api = new FakeNodeAgentApi(_time);
        var runtime = new FakeContainerRuntime(_time);
        return (api, runtime, new NodeStatusReporter(api, runtime, "node-0", _machine, 110, _time, NullLogger.Instance));
    }
}
