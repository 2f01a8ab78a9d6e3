using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Bench.Scheduler;

/// <summary>
/// scheduler_perf's PreemptionBasic (config/performance-config.yaml, 500Nodes: threshold 18 pods/s) on the product:
/// `timonel server` with its scheduler and `timonel agent --simulated 500`; 2,000 low-priority pods of 900m cpu fill
/// the 4-cpu nodes (templates/pod-low-priority.yaml, terminationGracePeriodSeconds 0), then 500 pods of 3 cpu and
/// priority 10 (pod-high-priority.yaml) can each run only by preempting three of them. The figure is the high pods
/// from the first create to the last binding, as a pod watch sees them bound.
/// </summary>
internal static class PreemptionBasicRun
{
    private const int InitPods = 2000;
    private const int MeasurePods = 500;
    private const string HighClass = "preemption-basic-high";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var nodes = options.Nodes == new BenchOptions().Nodes ? 500 : options.Nodes;
        await using var server = await TimonelServer.StartAsync(options.Timonel, withScheduler: true);
        using var client = server.Connection.CreateClient();
        var token = (await File.ReadAllTextAsync(Path.Combine(server.DataDir, "token"))).Trim();
        using var agent = AllInOneRun.StartAgent(options with { Nodes = nodes }, server.Connection.Server, token);
        try
        {
            var clock = Stopwatch.StartNew();
            await AllInOneRun.WaitForReadyNodesAsync(client, nodes, agent, TimeSpan.FromMinutes(5));
            Console.WriteLine($"nodes: {nodes} registered and Ready in {clock.Elapsed.TotalSeconds:F1} s");

            // scheduler_perf disables the Priority admission plugin and sets spec.priority; with it enabled, a class does.
            await client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = HighClass }, Value = 10 });

            var bound = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            using var stopWatching = new CancellationTokenSource();
            var watching = AllInOneRun.WatchBindingsAsync(client, bound, stopWatching.Token);

            clock.Restart();
            await CreateAsync(client, "low", InitPods, options.Creators, cpu: "900m", priorityClass: null);
            await AllInOneRun.WaitForAsync(bound, "low-", InitPods, TimeSpan.FromMinutes(5));
            Console.WriteLine($"init: {InitPods} low-priority pods created and bound in {clock.Elapsed.TotalSeconds:F1} s");

            var serverCpu0 = server.CpuTime;
            clock.Restart();
            await CreateAsync(client, "high", MeasurePods, options.Creators, cpu: "3000m", priorityClass: HighClass);
            await AllInOneRun.WaitForAsync(bound, "high-", MeasurePods, TimeSpan.FromMinutes(10));
            var total = clock.Elapsed;
            var serverCpu = server.CpuTime - serverCpu0;
            await stopWatching.CancelAsync();
            await watching;
            var lowLeft = (await client.CoreV1.ListNamespacedPodAsync(ClusterLoad.Namespace, labelSelector: "tier=low")).Items.Count;
            Console.WriteLine($"measured: {MeasurePods} high-priority pods bound {total.TotalSeconds:F2} s after the first create: "
                + $"{ClusterLoad.Rate(MeasurePods, total)} pods/s (upstream threshold 18, target >= 54); {InitPods - lowLeft} low-priority pods preempted");
            Console.WriteLine($"  cpu over the phase: timonel server (API + scheduler + controllers) {serverCpu.TotalSeconds:F1} s on {Environment.ProcessorCount} cores");
            return 0;
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
                await agent.WaitForExitAsync();
            }
        }
    }

    private static async Task CreateAsync(IKubernetes client, string prefix, int count, int creators, string cpu, string? priorityClass)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, creators).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var pod = ClusterLoad.Pod($"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}");
                pod.Metadata.Labels = new Dictionary<string, string> { ["tier"] = prefix };
                pod.Spec.TerminationGracePeriodSeconds = priorityClass is null ? 0 : null;
                pod.Spec.PriorityClassName = priorityClass;
                var resources = pod.Spec.Containers[0].Resources;
                resources.Requests["cpu"] = new ResourceQuantity(cpu);
                resources.Limits["cpu"] = new ResourceQuantity(cpu);
                await client.CoreV1.CreateNamespacedPodAsync(pod, ClusterLoad.Namespace);
            }
        }));
    }
}
