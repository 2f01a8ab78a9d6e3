using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Containers;
using Timonel.Agent.Kubelet.Gc;
using Timonel.Agent.Kubelet.Images;
using Timonel.Agent.Kubelet.Node;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.Kubelet.Prober;
using Timonel.Agent.Kubelet.Runtime;
using Timonel.Agent.Kubelet.Status;
using Timonel.Agent.Kubelet.Volumes;
using Timonel.Agent.NodeAgent;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Client.Objects;

namespace Timonel.Agent.Kubelet;

/// <summary>
/// The node agent over a real container runtime (the kubelet): registers this machine as a Node and heartbeats,
/// watches the pods bound to it and runs each through its pod worker, relists the runtime for container changes,
/// and collects dead containers and unused images. Ready once the Node is registered and the pod cache synced.
/// </summary>
public sealed class Kubelet : IComponent
{
    private readonly ClusterConnection _connection;
    private readonly KubeletOptions _options;
    private readonly IContainerRuntime _runtime;
    private readonly IImageService _images;
    private readonly IVolumeManager _volumes;
    private readonly IContainerConfigFactory _configs;
    private readonly ISandboxConfigFactory _sandboxes;
    private readonly IProbeManager _probes;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly HttpClient _hooksHttp = new();
    private Kubernetes? _client;
    private LeaseWriter? _leases;
    private EventBroadcaster? _events;
    private SharedInformerFactory? _informers;
    private PodWorkerSet? _workers;
    private readonly IPullCredentials? _pullCredentials;
    private Task _ready = Task.CompletedTask;

    public Kubelet(
        ClusterConnection connection,
        KubeletOptions options,
        IContainerRuntime runtime,
        IImageService images,
        IVolumeManager volumes,
        IContainerConfigFactory configs,
        ISandboxConfigFactory sandboxes,
        IProbeManager probes,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        IPullCredentials? pullCredentials = null)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _connection = connection;
        _options = options;
        _runtime = runtime;
        _images = images;
        _volumes = volumes;
        _configs = configs;
        _sandboxes = sandboxes;
        _probes = probes;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        _pullCredentials = pullCredentials;
    }

    public string Name => "kubelet";

    public Task Ready => _ready;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = _loggerFactory.CreateLogger<Kubelet>();
        var client = _client = _connection.CreateClient();
        var api = new KubernetesNodeAgentApi(client, _leases = new LeaseWriter(_connection));
        var machine = _options.Machine;
        var reporter = new NodeStatusReporter(api, _runtime, _options.NodeName, machine, _options.MaxPods, _time, logger);
        var podCidr = await PodCidrAsync(client, cancellationToken);
        if (podCidr is not null)
        {
            // The pod network (CNI) needs the range before the runtime reports NetworkReady.
            _options.PodCidrChosen?.Invoke(podCidr);
        }

        await reporter.RegisterAsync(podCidr, cancellationToken);
        if (podCidr is null)
        {
            // A node identity may not list Nodes to pick a range: the node IPAM controller assigns one to the Node.
            _loops.Add(Task.Run(() => AwaitPodCidrAsync(client, logger, _stopping.Token), CancellationToken.None));
        }

        var events = _events = new EventBroadcaster(new KubernetesEventSink(client), _time, logger);
        var recorder = events.NewRecorder("kubelet", _options.NodeName);
        var podEvents = new PodEvents(recorder);

        // upstream records a finished expansion on the pod and on its claim alike.
        _volumes.FileSystemResized += resized =>
        {
            var message = resized.Message(_options.NodeName);
            podEvents.Pod(resized.Pod, "Normal", FileSystemResize.Reason, message);
            recorder.Event(resized.Claim, "Normal", FileSystemResize.Reason, message);
        };
        var node = new KubeletNodeContext(machine.InternalIP, KubeletNodeObjects.Allocatable(machine, _options.MaxPods), _options.DataDirectory, _options.RuntimeHandler);
        var workers = _workers = new PodWorkerSet(CreateSyncer(api, podEvents, node, logger), _time, logger, _options.ResyncInterval);
        _probes.Changed += workers.Wake;

        var informers = _informers = new SharedInformerFactory(_loggerFactory, _time);
        var pods = informers.For(CoreListWatches.Pods(client, $"spec.nodeName={_options.NodeName}"));
        var bound = new BoundPods();
        // Every failed probe attempt is an Unhealthy event on its container, as the prober records them upstream.
        _probes.Unhealthy += unhealthy =>
        {
            if (bound.Get(unhealthy.PodUid) is { } pod && pod.Spec.Containers.FirstOrDefault(c => c.Name == unhealthy.ContainerName) is { } container)
            {
                podEvents.Container(pod, container, "Warning", ProbeUnhealthy.Reason, unhealthy.Message);
            }
        };
        pods.AddHandlers(new InformerHandlers<V1Pod>(
            pod => { bound.Set(pod); workers.Update(pod); },
            (old, pod) =>
            {
                bound.Set(pod);
                workers.Update(pod);
                if (DownwardFieldsChanged(old, pod))
                {
                    _ = RefreshVolumesAsync(pod, logger);
                }
            },
            pod => { bound.Remove(pod); workers.Remove(pod); }));
        informers.Start();
        _ready = pods.Synced;

        var stopping = _stopping.Token;
        var relist = new RuntimeRelist(_runtime);
        var containerGc = new ContainerGarbageCollector(_runtime, logger);
        var imageGc = new ImageGarbageCollector(_runtime, _images, ImageGarbageCollector.FilesystemCapacity, logger);
        _loops.Add(Every(_options.HeartbeatInterval, reporter.HeartbeatAsync, logger, "node heartbeat", stopping));
        _loops.Add(Every(_options.RelistInterval, async ct =>
        {
            foreach (var uid in await relist.ChangedPodsAsync(ct))
            {
                workers.Wake(uid);
            }
        }, logger, "runtime relist", stopping));
        _loops.Add(Task.Run(async () =>
        {
            // Containers of pods no longer bound here are only told apart once the pod cache is complete.
            await pods.Synced.WaitAsync(stopping);
            await Every(_options.GarbageCollectionInterval, async ct =>
            {
                await containerGc.CollectAsync(bound.Uids(), ct);
                await imageGc.CollectAsync(ct);
            }, logger, "garbage collection", stopping);
        }, CancellationToken.None));
        logger.LogInformation("kubelet of node {Node} started", _options.NodeName);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        if (_workers is not null)
        {
            _probes.Changed -= _workers.Wake;
            await _workers.DisposeAsync();
        }

        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        _leases?.Dispose();
        _client?.Dispose();
        _hooksHttp.Dispose();
        _stopping.Dispose();
    }

    private PodSyncer CreateSyncer(INodeAgentApi api, PodEvents events, KubeletNodeContext node, ILogger logger)
    {
        var backoff = new Backoff(_time);
        var hooks = new LifecycleHooks(_runtime, _hooksHttp);
        var terminator = new PodTerminator(_runtime, _volumes, _probes, hooks, events, _time);
        var starter = new ContainerStarter(_runtime, new ImagePuller(_images, backoff, events, _time, _pullCredentials), _configs, _probes, hooks, events);
        var statuses = new PodStatusGenerator(new ContainerStatusConverter(_probes));
        return new PodSyncer(_runtime, _sandboxes, _volumes, _probes, starter, terminator, statuses, new PodStatusManager(api), backoff, events, node, _time, logger);
    }

    /// <summary>Labels or annotations changed: what downwardAPI volumes show (the periodic refresh catches the rest).</summary>
    private static bool DownwardFieldsChanged(V1Pod old, V1Pod pod) =>
        !SameEntries(old.Metadata.Labels, pod.Metadata.Labels) || !SameEntries(old.Metadata.Annotations, pod.Metadata.Annotations);

    private static bool SameEntries(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(e => b is not null && b.TryGetValue(e.Key, out var v) && v == e.Value);

    private async Task RefreshVolumesAsync(V1Pod pod, ILogger logger)
    {
        try
        {
            await _volumes.RefreshAsync(pod, _stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("refreshing the volumes of pod {Namespace}/{Name}: {Message}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Waits for the node IPAM controller to give the Node a pod range, then sets up the pod network with it.</summary>
    private async Task AwaitPodCidrAsync(Kubernetes client, ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var node = await client.CoreV1.ReadNodeAsync(_options.NodeName, cancellationToken: cancellationToken);
                if (node.Spec?.PodCIDR is { Length: > 0 } assigned)
                {
                    logger.LogInformation("node {Node} was given pod range {PodCidr}", _options.NodeName, assigned);
                    _options.PodCidrChosen?.Invoke(assigned);
                    return;
                }
            }
            catch (HttpOperationException ex)
            {
                logger.LogWarning("reading node {Node} for its pod range: {Message}", _options.NodeName, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The configured pod range, else the one the Node already has (a restart), else null: the node IPAM controller
    /// gives the registered Node one. Only the node's own Node is read: the Node authorizer lets a node read no other.
    /// </summary>
    private async Task<string?> PodCidrAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        if (_options.PodCidr is { } configured)
        {
            return configured;
        }

        try
        {
            var own = await client.CoreV1.ReadNodeAsync(_options.NodeName, cancellationToken: cancellationToken);
            return own.Spec?.PodCIDR is { Length: > 0 } podCidr ? podCidr : null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private Task Every(TimeSpan interval, Func<CancellationToken, Task> work, ILogger logger, string what, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await work(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{What} failed: {Error}", what, ex.Message);
            }

            try
            {
                await Task.Delay(interval, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }, CancellationToken.None);
}
