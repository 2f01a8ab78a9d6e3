using k8s;
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
    private Kubernetes? _client;
    private SharedInformerFactory? _informers;
    private EventBroadcaster? _events;
    private IReadOnlyList<ControllerBase> _controllers = [];

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
        var client = _client = _connection.CreateClient();
        var time = TimeProvider.System;
        await _provider.InitializeAsync(client, cancellationToken).ConfigureAwait(false);
        var informers = _informers = new SharedInformerFactory(_loggerFactory, time);
        var events = _events = new EventBroadcaster(new KubernetesEventSink(client), time, _loggerFactory.CreateLogger<EventBroadcaster>());
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

        _controllers = controllers;
        foreach (var controller in controllers)
        {
            await controller.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        informers.Start();
        _ = Task.WhenAll(controllers.Select(c => c.InformersSynced))
            .ContinueWith(_ => _ready.TrySetResult(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var controller in _controllers)
        {
            await controller.StopAsync(stopping.Token).ConfigureAwait(false);
            controller.Dispose();
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync().ConfigureAwait(false);
        }

        if (_events is not null)
        {
            await _events.DisposeAsync().ConfigureAwait(false);
        }

        _client?.Dispose();
    }
}
