using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Agent.NodeAgent;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;

namespace Timonel.Agent.Simulated;

/// <summary>
/// <c>timonel agent --simulated N</c> (and <c>timonel server --simulated-nodes N</c>): N hollow nodes in one process,
/// registered, heartbeating and reporting their pods as kubelets would, for scheduling and scale tests (in the spirit
/// of kubemark's hollow nodes and kwok). Ready once every node has registered and the pod cache has synced.
/// </summary>
public sealed class SimulatedNodes : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly SimulatedNodesOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private Kubernetes? _client;
    private LeaseWriter? _leases;
    private SharedInformerFactory? _informers;
    private SimulatedNodeAgent? _agent;
    private EventBroadcaster? _events;
    private Task? _running;
    private Task _ready = Task.CompletedTask;

    public SimulatedNodes(ClusterConnection connection, SimulatedNodesOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _connection = connection;
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
    }

    public string Name => "agent";

    public Task Ready => _ready;

    /// <summary>The names of the simulated nodes.</summary>
    public IReadOnlyList<string> NodeNames => _agent?.Nodes.Select(n => n.Name).ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = _loggerFactory.CreateLogger<SimulatedNodes>();
        var client = _client = _connection.CreateClient();
        var leases = _leases = new LeaseWriter(_connection);
        var events = _events = new EventBroadcaster(new KubernetesEventSink(client), _time, logger);
        var agent = _agent = new SimulatedNodeAgent(new KubernetesNodeAgentApi(client, leases), _options, _time, logger, new ContainerEvents(node => events.NewRecorder(ContainerEvents.Component, node)));
        var informers = _informers = new SharedInformerFactory(_loggerFactory, _time);
        // Every pod bound to some node; the agent keeps those on its own nodes. One watch for all N nodes; one node
        // watches its own pods only, all a node identity may list under the Node authorizer.
        var pods = informers.For(CoreListWatches.Pods(client, _options.Count == 1 ? $"spec.nodeName={_options.NamePrefix}0" : "spec.nodeName!="));
        pods.AddHandlers(new InformerHandlers<V1Pod>(agent.PodChanged, (_, pod) => agent.PodChanged(pod), agent.PodRemoved));
        await agent.StartAsync(cancellationToken);
        _running = Task.Run(() => agent.Runner.RunAsync(_stopping.Token), CancellationToken.None);
        informers.Start();
        _ready = Task.WhenAll(agent.AllRegistered, pods.Synced);
        logger.LogInformation("simulating {Count} nodes ({First}..{Last})", _options.Count, _options.NamePrefix + "0", _options.NamePrefix + (_options.Count - 1));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (_running is not null)
        {
            await _running;
        }

        _agent?.Dispose();
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        _leases?.Dispose();
        _client?.Dispose();
        _stopping.Dispose();
    }
}
