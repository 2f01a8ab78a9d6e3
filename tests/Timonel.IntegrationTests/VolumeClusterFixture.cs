using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Agent.Joining;
using Timonel.Agent.Simulated;
using Timonel.Client;
using Timonel.Controllers.Volume;
using Timonel.Scheduler;
using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>
/// An in-process cluster on SQLite with the controllers (the volume provisioner <see cref="HostPathTestProvisioner"/>
/// registered), the scheduler and three simulated nodes (sim-0..sim-2): what <c>timonel server --simulated-nodes 3</c>
/// runs, with a provisioner only a test can give it.
/// </summary>
public sealed class VolumeClusterFixture : IAsyncLifetime, IAsyncDisposable
{
    private TestCluster? _cluster;
    private SchedulerComponent? _scheduler;
    private SimulatedNodes? _nodes;

    public string? SkipReason => Kubectl.IsInstalled ? null : Kubectl.SkipReason;

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException(SkipReason ?? "cluster not started");

    public Kubectl Kubectl => Cluster.Kubectl;

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        var cluster = _cluster = await TestCluster.StartAsync(
            dataDir => StorageBackendFactory.CreateAsync(null, dataDir),
            configureControllers: options => options with { VolumeProvisioners = new Dictionary<string, IVolumeProvisioner> { [HostPathTestProvisioner.Name] = new HostPathTestProvisioner() } });
        var host = cluster.Host;
        _scheduler = new SchedulerComponent(new ClusterConnection(host.Url, host.Pki.CertificateAuthority, host.Pki.Admin), NullLoggerFactory.Instance);
        await _scheduler.StartAsync(CancellationToken.None);
        var connection = await ServerTrust.ConnectAsync(host.Url, host.Token.Full, null, CancellationToken.None);
        _nodes = new SimulatedNodes(connection, new SimulatedNodesOptions { Count = 3 }, NullLoggerFactory.Instance);
        await _nodes.StartAsync(CancellationToken.None);
        await Task.WhenAll(_nodes.Ready, _scheduler.Ready).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }

        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
