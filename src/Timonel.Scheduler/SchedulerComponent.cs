using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Timonel.Client;
using Timonel.Client.Components;
using Timonel.Client.Events;
using Timonel.Client.Informers;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins;
using Timonel.Scheduler.Queue;

namespace Timonel.Scheduler;

/// <summary>
/// The scheduler (kube-scheduler's role) as a client of the API server: informers on nodes and pods feed its cache and
/// queue; once they have synced it schedules pending pods naming "default-scheduler" (or no scheduler) with
/// upstream's default profile, and binds them through pods/binding.
/// </summary>
public sealed class SchedulerComponent : IComponent
{
    /// <summary>How often expired assumed pods are cleaned (upstream cleanAssumedPeriod).</summary>
    private static readonly TimeSpan _cleanAssumedPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long an assumed pod whose binding finished waits for the informer to confirm it (upstream's durationToExpireAssumedPod of 15 minutes).</summary>
    private static readonly TimeSpan _assumedPodTtl = TimeSpan.FromMinutes(15);

    private readonly ClusterConnection _connection;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Kubernetes? _client;
    private SharedInformerFactory? _informers;
    private EventsV1Broadcaster? _events;
    private SchedulingQueue? _queue;
    private ITimer? _cleanup;
    private Scheduler? _scheduler;
    private Task _loop = Task.CompletedTask;

    public SchedulerComponent(ClusterConnection connection, ILoggerFactory loggerFactory)
        : this(connection, loggerFactory, TimeProvider.System)
    {
    }

    public SchedulerComponent(ClusterConnection connection, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _connection = connection;
        _loggerFactory = loggerFactory;
        _time = time;
    }

    public string Name => "scheduler";

    public Task Ready => _ready.Task;

    /// <summary>Called when each binding ends (for measurements): the pod, the node, whether it succeeded.</summary>
    public Action<V1Pod, string, bool>? BindingDone { get; set; }

    /// <summary>The scheduler's counters, once started.</summary>
    public SchedulerMetrics? Metrics => _scheduler?.Metrics;

    /// <summary>Wraps the scheduler's API writes (a benchmark measuring decisions alone replaces binding).</summary>
    internal Func<ISchedulerApi, ISchedulerApi>? ApiDecorator { get; init; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var client = _client = _connection.CreateClient();
        ISchedulerApi api = new KubernetesSchedulerApi(client);
        if (ApiDecorator is { } decorate)
        {
            api = decorate(api);
        }

        var logger = _loggerFactory.CreateLogger<SchedulerComponent>();
        var snapshot = new Snapshot();
        var informers = _informers = new SharedInformerFactory(_loggerFactory, _time);
        var pods = informers.For(CoreListWatches.Pods(client));
        var nodes = informers.For(CoreListWatches.Nodes(client));
        // The kinds plugins read besides nodes and pods: namespaces (InterPodAffinity's namespaceSelector), the
        // owners whose selectors PodTopologySpread's default constraints spread by, claims, volumes and classes
        // (VolumeBinding), budgets (preemption).
        SharedInformer<V1Namespace> namespaces = informers.For(CoreListWatches.Namespaces(client));
        SharedInformer<V1Service> services = informers.For(ServiceListWatches.Services(client));
        SharedInformer<V1ReplicationController> replicationControllers = informers.For(ReplicationListWatches.ReplicationControllers(client));
        SharedInformer<V1ReplicaSet> replicaSets = informers.For(AppsListWatches.ReplicaSets(client));
        SharedInformer<V1StatefulSet> statefulSets = informers.For(AppsListWatches.StatefulSets(client));
        var claims = informers.For(StorageListWatches.PersistentVolumeClaims(client));
        var volumes = informers.For(StorageListWatches.PersistentVolumes(client));
        var storageClasses = informers.For(StorageListWatches.StorageClasses(client));
        var pdbs = informers.For(PolicyListWatches.PodDisruptionBudgets(client));
        // events.k8s.io/v1, reported as the profile's scheduler name (kube-scheduler's NewRecorder(profile.SchedulerName)).
        var events = _events = new EventsV1Broadcaster(new KubernetesEventsV1Sink(client), _time, logger);
        var handle = new FrameworkHandle(api, snapshot, _time)
        {
            Namespaces = namespaces.Cache,
            Services = services.Cache,
            ReplicationControllers = replicationControllers.Cache,
            ReplicaSets = replicaSets.Cache,
            StatefulSets = statefulSets.Cache,
            PersistentVolumeClaims = claims.Cache,
            PersistentVolumes = volumes.Cache,
            StorageClasses = storageClasses.Cache,
            Events = events.NewRecorder(DefaultProfile.SchedulerName),
            PodDisruptionBudgets = pdbs.Cache.List,
        };
        handle.Nominator.CurrentPod = pod => pods.Cache.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        var framework = DefaultProfile.Framework(handle);
        var cache = new SchedulerCache(_time, _assumedPodTtl);
        var queue = _queue = new SchedulingQueue(framework.QueueSort, framework.EventsToRegister, _time, nominator: framework.Nominator);
        var metrics = new SchedulerMetrics();
        var scheduler = _scheduler = new Scheduler(
            framework,
            queue,
            cache,
            snapshot,
            new SchedulingAlgorithm(framework, snapshot, metrics: metrics),
            api,
            events.NewRecorder(DefaultProfile.SchedulerName),
            _time,
            logger,
            pod => pods.Cache.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name),
            metrics);
        if (BindingDone is { } bindingDone)
        {
            scheduler.BindingDone = (pod, node, status) => bindingDone(pod.Pod, node, status.IsSuccess);
        }

        var handlers = new EventHandlers(cache, queue, DefaultProfile.SchedulerName);
        nodes.AddHandlers(new InformerHandlers<V1Node>(handlers.OnNodeAdd, handlers.OnNodeUpdate, handlers.OnNodeDelete));
        pods.AddHandlers(new InformerHandlers<V1Pod>(handlers.OnPodAdd, handlers.OnPodUpdate, handlers.OnPodDelete));
        VolumeEventHandlers.Register(claims, queue, EventResource.PersistentVolumeClaim);
        VolumeEventHandlers.Register(volumes, queue, EventResource.PersistentVolume);
        VolumeEventHandlers.Register(storageClasses, queue, EventResource.StorageClass);
        informers.Start();
        queue.Run();
        _cleanup = _time.CreateTimer(_ => cache.CleanupExpiredAssumedPods(), null, _cleanAssumedPeriod, _cleanAssumedPeriod);
        var stopping = _stopping.Token;
        _loop = Task.Run(
            async () =>
            {
                // upstream waits for the informers' caches before the first cycle: a pod scheduled against a
                // half-listed cluster could land on a node already full.
                await Task.WhenAll(pods.Synced, nodes.Synced).WaitAsync(stopping).ConfigureAwait(false);
                await Task.WhenAll(namespaces.Synced, services.Synced, replicationControllers.Synced, replicaSets.Synced, statefulSets.Synced)
                    .WaitAsync(stopping).ConfigureAwait(false);
                await Task.WhenAll(pods.Synced, nodes.Synced, pdbs.Synced).WaitAsync(stopping).ConfigureAwait(false);
                await Task.WhenAll(pods.Synced, nodes.Synced, claims.Synced, volumes.Synced, storageClasses.Synced).WaitAsync(stopping).ConfigureAwait(false);
                _ready.TrySetResult();
                await scheduler.RunAsync(stopping).ConfigureAwait(false);
            },
            CancellationToken.None);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _queue?.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (_scheduler is not null)
        {
            await _scheduler.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _cleanup?.Dispose();
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        _client?.Dispose();
        _stopping.Dispose();
    }
}
