using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Controllers.Cloud.Node;
using Timonel.Controllers.Cloud.Service;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// Runs the cloud controllers (cloud-controller-manager's role) over an <see cref="ICloudProvider"/>: the service
/// controller when the provider has load balancers, the cloud node and node lifecycle controllers when it has
/// instances. The provider is initialized first, with a client, as upstream's Initialize.
/// </summary>
public sealed class CloudControllerManager : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly ICloudProvider _provider;
    private readonly CloudControllerManagerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunningControllers? _running;

    public CloudControllerManager(ClusterConnection connection, ICloudProvider provider, CloudControllerManagerOptions options, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _provider = provider;
        _options = options;
        _loggerFactory = loggerFactory;
    }

    public string Name => "cloud-controllers";

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var running = _running = RunningControllers.Open(_connection, _loggerFactory);
        var (client, informers, events, time) = (running.Client, running.Informers, running.Events, TimeProvider.System);
        await _provider.InitializeAsync(client, cancellationToken).ConfigureAwait(false);
        var nodes = informers.For(CoreListWatches.Nodes(client));
        List<ControllerBase> controllers = [];
        if (_options.ServiceLoadBalancer && _provider.LoadBalancer is { } balancer)
        {
            controllers.Add(new ServiceController(client, balancer, _options.ClusterName, informers.For(ServiceListWatches.Services(client)), nodes, events.NewRecorder(ServiceController.Component), time, _loggerFactory.CreateLogger<ServiceController>()));
        }

        if (_provider.Instances is { } instances)
        {
            controllers.Add(new CloudNodeController(client, instances, _provider.Zones, nodes, time, _loggerFactory.CreateLogger<CloudNodeController>()));
            controllers.Add(new CloudNodeLifecycleController(client, instances, nodes, events.NewRecorder(CloudNodeLifecycleController.Component), time, _loggerFactory.CreateLogger<CloudNodeLifecycleController>()));
        }

        await running.StartAsync(controllers, _ready, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.DisposeAsync().ConfigureAwait(false);
        }
    }
}
