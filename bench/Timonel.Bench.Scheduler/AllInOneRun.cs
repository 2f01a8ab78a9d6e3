using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Bench.Scheduler;

/// <summary>
/// SchedulingBasic on the product as users run it: `timonel server` (API server, controllers and its own scheduler in
/// one process) and one `timonel agent --simulated N` process holding the nodes, which reports every bound pod
/// Running. A binding is timed when a pod watch first shows the pod with a node, as scheduler_perf times it from its
/// informer. Then the resident memory of both processes with every pod bound, and the agent's CPU once steady.
/// </summary>
internal static class AllInOneRun
{
    private static readonly TimeSpan _steadyWindow = TimeSpan.FromSeconds(30);

    // Past the watch cache's 75 s event window (EventWindow), with some margin.
    private static readonly TimeSpan _afterWatchWindow = TimeSpan.FromSeconds(100);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        await using var server = await TimonelServer.StartAsync(options.Timonel, withScheduler: true);
        using var client = server.Connection.CreateClient();
        var token = (await File.ReadAllTextAsync(Path.Combine(server.DataDir, "token"))).Trim();
        using var agent = StartAgent(options, server.Connection.Server, token);
        try
        {
            var clock = Stopwatch.StartNew();
            await WaitForReadyNodesAsync(client, options.Nodes, agent, TimeSpan.FromMinutes(5));
            Console.WriteLine($"nodes: {options.Nodes} registered and Ready in {clock.Elapsed.TotalSeconds:F1} s by `timonel agent --simulated {options.Nodes}`");
            if (options.TopologySpreading)
            {
                await TopologySpreading.LabelNodesAsync(client, options.Nodes, options.Creators);
            }

            var bound = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            using var stopWatching = new CancellationTokenSource();
            var watching = WatchBindingsAsync(client, bound, stopWatching.Token);

            clock.Restart();
            await ClusterLoad.CreatePodsAsync(client, "warmup", options.WarmupPods, options.Creators);
            await WaitForAsync(bound, "warmup-", options.WarmupPods, TimeSpan.FromMinutes(5));
            Console.WriteLine($"warm-up: {options.WarmupPods} pods created and bound in {clock.Elapsed.TotalSeconds:F1} s");

            var serverCpu0 = server.CpuTime;
            var agentCpu0 = CpuTime(agent);
            clock.Restart();
            await ClusterLoad.CreatePodsAsync(client, "pod", options.MeasuredPods, options.Creators, options.MeasuredPodShape);
            var created = clock.Elapsed;
            await WaitForAsync(bound, "pod-", options.MeasuredPods, TimeSpan.FromMinutes(10));
            var total = clock.Elapsed;
            var serverCpu = server.CpuTime - serverCpu0;
            var agentCpu = CpuTime(agent) - agentCpu0;
            var times = bound.Where(pair => pair.Key.StartsWith("pod-", StringComparison.Ordinal)).Select(pair => pair.Value).ToList();
            var span = Stopwatch.GetElapsedTime(times.Min(), times.Max());
            await stopWatching.CancelAsync();
            await watching;

            Console.WriteLine($"measured: {times.Count} pods, first to last binding {span.TotalSeconds:F2} s: {ClusterLoad.Rate(times.Count, span)} pods/s (target >= {(options.TopologySpreading ? 255 : 1000)})");
            Console.WriteLine($"  pods created in {created.TotalSeconds:F2} s ({ClusterLoad.Rate(options.MeasuredPods, created)}/s by {options.Creators} creators); all bound {total.TotalSeconds:F2} s after the first create");
            Console.WriteLine($"  cpu over the phase: timonel server (API + scheduler + controllers) {serverCpu.TotalSeconds:F1} s, agent {agentCpu.TotalSeconds:F1} s, bench {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s in all, on {Environment.ProcessorCount} cores");

            // The agent reports each bound pod Running; give it time to finish, then read both footprints and the
            // agent's CPU over a quiet window (lease renewals only). Read the footprints again once the watch cache's
            // 75 s window has moved past the burst of pod events, which it holds until then.
            await Task.Delay(TimeSpan.FromSeconds(20));
            var pods = options.WarmupPods + options.MeasuredPods;
            Console.WriteLine($"20 s after the last binding, {options.Nodes} nodes and {pods} pods: server RSS {server.ResidentMiB * 1.048576:F0} MB, agent RSS {ResidentMiB(agent) * 1.048576:F0} MB");
            var agentSteady0 = CpuTime(agent);
            var serverSteady0 = server.CpuTime;
            await Task.Delay(_steadyWindow);
            var agentCores = (CpuTime(agent) - agentSteady0) / _steadyWindow;
            var serverCores = (server.CpuTime - serverSteady0) / _steadyWindow;
            await Task.Delay(_afterWatchWindow - _steadyWindow - TimeSpan.FromSeconds(20));
            Console.WriteLine($"server RSS {_afterWatchWindow.TotalSeconds:F0} s after the last binding: {server.ResidentMiB * 1.048576:F0} MB (target <= 400 MB); steady CPU {serverCores:F2} cores");
            Console.WriteLine($"agent RSS {_afterWatchWindow.TotalSeconds:F0} s after the last binding: {ResidentMiB(agent) * 1.048576:F0} MB (target <= 200 MB); steady CPU {agentCores:F3} cores (target <= 0.2)");
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

    // 5,000 nodes need 5,000 /24 pod ranges: K3s' default 10.42.0.0/16 holds 256, so a /11 (as bench/simulated-nodes.sh).
    internal static Process StartAgent(BenchOptions options, Uri server, string token)
    {
        var start = new ProcessStartInfo(options.Timonel) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "agent", "--simulated", options.Nodes.ToString(CultureInfo.InvariantCulture), "--server", server.ToString(), "--token", token, "--cluster-cidr", "10.64.0.0/11" })
        {
            start.ArgumentList.Add(argument);
        }

        var agent = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        agent.OutputDataReceived += (_, _) => { };
        agent.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                Console.Error.WriteLine("agent: " + text);
            }
        };
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        return agent;
    }

    internal static async Task WaitForReadyNodesAsync(IKubernetes client, int count, Process agent, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (agent.HasExited)
            {
                throw new InvalidOperationException($"the agent exited with code {agent.ExitCode}");
            }

            var nodes = await client.CoreV1.ListNodeAsync();
            if (nodes.Items.Count(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) >= count)
            {
                return;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"fewer than {count} Ready nodes after {timeout.TotalSeconds} s");
    }

    internal static async Task WatchBindingsAsync(IKubernetes client, ConcurrentDictionary<string, long> bound, CancellationToken cancellationToken)
    {
        var resourceVersion = (await client.CoreV1.ListNamespacedPodAsync(ClusterLoad.Namespace, cancellationToken: cancellationToken)).Metadata.ResourceVersion;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync(ClusterLoad.Namespace, resourceVersion: resourceVersion, allowWatchBookmarks: true, cancellationToken: cancellationToken))
                {
                    resourceVersion = pod.Metadata.ResourceVersion ?? resourceVersion;
                    if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
                    {
                        bound.TryAdd(pod.Metadata.Name, Stopwatch.GetTimestamp());
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal static async Task WaitForAsync(ConcurrentDictionary<string, long> bound, string prefix, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (bound.Keys.Count(name => name.StartsWith(prefix, StringComparison.Ordinal)) < count)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{bound.Keys.Count(name => name.StartsWith(prefix, StringComparison.Ordinal))}/{count} {prefix} pods bound after {timeout.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }

    private static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static double ResidentMiB(Process process)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }
}
