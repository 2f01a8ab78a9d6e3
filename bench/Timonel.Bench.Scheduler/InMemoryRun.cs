using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Client.Events;
using Timonel.Scheduler;
using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Plugins;
using Timonel.Scheduler.Queue;

namespace Timonel.Bench.Scheduler;

/// <summary>
/// The same workload with no API server: nodes and pods handed to the scheduler's cache and queue as the informers
/// would, bindings and writes dropped. What is left is the scheduler's own cost per pod, in wall time and CPU time.
/// </summary>
internal static class InMemoryRun
{
    public static async Task RunAsync(BenchOptions options)
    {
        var time = TimeProvider.System;
        var api = new NoWrites();
        var snapshot = new Snapshot();
        var framework = DefaultProfile.Framework(new FrameworkHandle(api, snapshot, time));
        var cache = new SchedulerCache(time, TimeSpan.FromMinutes(15));
        using var queue = new SchedulingQueue(framework.QueueSort, framework.EventsToRegister, time, nominator: framework.Nominator);
        var handlers = new EventHandlers(cache, queue, DefaultProfile.SchedulerName);
        var bound = 0;
        var metrics = new SchedulerMetrics();
        var scheduler = new Timonel.Scheduler.Scheduler(
            framework, queue, cache, snapshot, new SchedulingAlgorithm(framework, snapshot, parallelism: options.Parallelism, metrics: metrics), api, api, time, NullLogger.Instance, pod => pod, metrics)
        {
            BindingDone = (_, _, status) =>
            {
                if (status.IsSuccess)
                {
                    Interlocked.Increment(ref bound);
                }
            },
        };
        for (var i = 0; i < options.Nodes; i++)
        {
            handlers.OnNodeAdd(options.TopologySpreading ? TopologySpreading.LabelNode(Node($"sim-{i}"), i) : Node($"sim-{i}"));
        }

        using var stopping = new CancellationTokenSource();
        var loop = Task.Run(() => scheduler.RunAsync(stopping.Token));
        await PhaseAsync("warm-up", "warmup", options.WarmupPods);
        var (elapsed, cpu) = await PhaseAsync("measured", "pod", options.MeasuredPods, options.MeasuredPodShape);
        Console.WriteLine($"in memory, {options.Workload}, {options.Nodes} nodes: {ClusterLoad.Rate(options.MeasuredPods, elapsed)} pods/s, "
            + $"{cpu.TotalMilliseconds * 1000 / options.MeasuredPods:F0} us of CPU per pod ({ClusterLoad.Rate(options.MeasuredPods, cpu)} pods per CPU-second), "
            + $"cycles {PerCycle(metrics.CycleTime)} us each on average (filter {PerCycle(metrics.FilterTime)}, score {PerCycle(metrics.ScoreTime)})");
        await stopping.CancelAsync();
        queue.Close();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        string PerCycle(TimeSpan total) => (total.TotalMilliseconds * 1000 / metrics.Cycles).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

        async Task<(TimeSpan Elapsed, TimeSpan Cpu)> PhaseAsync(string phase, string prefix, int count, Func<V1Pod, V1Pod>? shape = null)
        {
            var target = Volatile.Read(ref bound) + count;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var pod = shape is null ? ClusterLoad.Pod($"{prefix}-{i}") : shape(ClusterLoad.Pod($"{prefix}-{i}"));
                pod.Metadata.NamespaceProperty = ClusterLoad.Namespace;
                handlers.OnPodAdd(pod);
            }

            while (Volatile.Read(ref bound) < target)
            {
                await Task.Delay(10);
            }

            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            Console.WriteLine($"{phase}: {count} pods in {clock.Elapsed.TotalSeconds:F2} s, {cpu.TotalSeconds:F2} s CPU");
            return (clock.Elapsed, cpu);
        }
    }

    private static V1Node Node(string name)
    {
        var capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("32Gi"), ["pods"] = new("110") };
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus { Capacity = capacity, Allocatable = capacity },
        };
    }

    private sealed class NoWrites : ISchedulerApi, IEventsV1Recorder
    {
        public Task BindAsync(V1Binding binding, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PatchPodStatusAsync(string ns, string name, string patchJson, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> DeletePodAsync(string ns, string name, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<V1PersistentVolume> UpdatePersistentVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken) => Task.FromResult(volume);

        public Task<V1PersistentVolumeClaim> UpdatePersistentVolumeClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken) => Task.FromResult(claim);

        public void Eventf(IKubernetesObject<V1ObjectMeta> regarding, IKubernetesObject<V1ObjectMeta>? related, string type, string reason, string action, string note)
        {
        }
    }
}
