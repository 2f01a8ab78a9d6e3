using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins;
using Timonel.Scheduler.Queue;

namespace Timonel.Scheduler.Tests.Fakes;

/// <summary>A scheduler with the default profile over an in-memory cluster: nodes and pods fed as informer events, writes recorded.</summary>
internal sealed class SchedulerHarness
{
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);

    public SchedulerHarness(int percentageOfNodesToScore = 0, int parallelism = 1)
    {
        Handle = new FrameworkHandle(Api, Snapshot, Time) { Events = Events, PodDisruptionBudgets = () => PodDisruptionBudgets };
        Handle.Nominator.CurrentPod = p => _pods.GetValueOrDefault(PodKey.Of(p));
        Framework = DefaultProfile.Framework(Handle);
        Cache = new SchedulerCache(Time, TimeSpan.FromMinutes(15));
        Queue = new SchedulingQueue(Framework.QueueSort, Framework.EventsToRegister, Time, nominator: Framework.Nominator);
        Algorithm = new SchedulingAlgorithm(Framework, Snapshot, percentageOfNodesToScore, parallelism, new Random(1));
        Handlers = new EventHandlers(Cache, Queue, DefaultProfile.SchedulerName);
        Scheduler = new Scheduler(Framework, Queue, Cache, Snapshot, Algorithm, Api, Events, Time, NullLogger.Instance, p => _pods.GetValueOrDefault(PodKey.Of(p)));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeSchedulerApi Api { get; } = new();

    public FakeEventRecorder Events { get; } = new();

    public Snapshot Snapshot { get; } = new();

    public FrameworkHandle Handle { get; }

    /// <summary>The budgets preemption reads, as the informer would have them.</summary>
    public List<V1PodDisruptionBudget> PodDisruptionBudgets { get; } = [];

    public global::Timonel.Scheduler.Framework.Framework Framework { get; }

    public SchedulerCache Cache { get; }

    public SchedulingQueue Queue { get; }

    public SchedulingAlgorithm Algorithm { get; }

    public EventHandlers Handlers { get; }

    public Scheduler Scheduler { get; }

    public void AddNodes(params V1Node[] nodes)
    {
        foreach (var node in nodes)
        {
            Handlers.OnNodeAdd(node);
        }
    }

    public void AddPods(params V1Pod[] pods)
    {
        foreach (var pod in pods)
        {
            _pods[PodKey.Of(pod)] = pod;
            Handlers.OnPodAdd(pod);
        }
    }

    /// <summary>A pod the informer has without the queue holding it (a pod in another cycle, or waiting for its victims).</summary>
    public void AddInformerOnly(V1Pod pod) => _pods[PodKey.Of(pod)] = pod;

    /// <summary>Pops the next pod, runs its scheduling cycle and waits for its binding and writes.</summary>
    public async Task<QueuedPodInfo> ScheduleNextAsync()
    {
        var pod = await Queue.PopAsync(CancellationToken.None) ?? throw new InvalidOperationException("queue closed");
        Scheduler.ScheduleOne(pod, CancellationToken.None);
        await Scheduler.WhenIdleAsync();
        return pod;
    }

    /// <summary>The node each binding named, by pod name.</summary>
    public Dictionary<string, string> Bound() => Api.Bindings.ToDictionary(b => b.Metadata.Name, b => b.Target.Name);
}
