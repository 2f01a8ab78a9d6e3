using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Timonel.Bench.Scheduler;
using Timonel.Scheduler;

// scheduler_perf's SchedulingBasic against a real `timonel server`: nodes created through the API, warm-up pods,
// then the measured pods created by parallel creators; pods/s from the first to the last binding of the measured phase.
var options = BenchOptions.Parse(args);
if (options.InMemory)
{
    await InMemoryRun.RunAsync(options);
    return 0;
}

if (!File.Exists(options.Timonel))
{
    Console.Error.WriteLine($"no server binary at {options.Timonel}; build it with ./timonel --help or dotnet build src/Timonel -c Release");
    return 2;
}

if (options.Workload == "preemption-basic")
{
    return await PreemptionBasicRun.RunAsync(options);
}

if (options.AllInOne)
{
    return await AllInOneRun.RunAsync(options);
}

await using var server = await TimonelServer.StartAsync(options.Timonel, withScheduler: false);
using var client = server.Connection.CreateClient();
var clock = Stopwatch.StartNew();
await ClusterLoad.CreateNodesAsync(client, options.Nodes, options.Creators);
Console.WriteLine($"nodes: {options.Nodes} created in {clock.Elapsed.TotalSeconds:F1} s ({ClusterLoad.Rate(options.Nodes, clock.Elapsed)}/s)");

var decisionsOnly = options.DecisionsOnly || !await BindingWorksAsync();
Console.WriteLine(decisionsOnly
    ? "binding: the server has no pods/binding (404): measuring scheduling decisions against the informer cache, binds recorded, not posted"
    : "binding: through pods/binding");

var bindings = new BindingClock();
await using var scheduler = new SchedulerComponent(server.Connection, NullLoggerFactory.Instance)
{
    BindingDone = bindings.Record,
    ApiDecorator = decisionsOnly ? inner => new DecisionsOnlyApi(inner) : null,
};
await scheduler.StartAsync(CancellationToken.None);
await scheduler.Ready.WaitAsync(TimeSpan.FromMinutes(2));

clock.Restart();
await ClusterLoad.CreatePodsAsync(client, "warmup", options.WarmupPods, options.Creators);
await bindings.WaitForAsync("warmup-", options.WarmupPods, TimeSpan.FromMinutes(5));
Console.WriteLine($"warm-up: {options.WarmupPods} pods created and bound in {clock.Elapsed.TotalSeconds:F1} s");

var metrics = scheduler.Metrics!;
var (cycles0, cycleTime0, filterTime0, scoreTime0, binds0, bindTime0) = (metrics.Cycles, metrics.CycleTime, metrics.FilterTime, metrics.ScoreTime, metrics.Bindings, metrics.BindingTime);
var benchCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var serverCpu0 = server.CpuTime;
clock.Restart();
await ClusterLoad.CreatePodsAsync(client, "pod", options.MeasuredPods, options.Creators);
var created = clock.Elapsed;
await bindings.WaitForAsync("pod-", options.MeasuredPods, TimeSpan.FromMinutes(10));
var total = clock.Elapsed;
var (count, span) = bindings.Phase("pod-");
var cycles = metrics.Cycles - cycles0;
var cycleTime = metrics.CycleTime - cycleTime0;
var filterTime = metrics.FilterTime - filterTime0;
var scoreTime = metrics.ScoreTime - scoreTime0;
var binds = metrics.Bindings - binds0;
var bindTime = metrics.BindingTime - bindTime0;
var benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu0;
var serverCpu = server.CpuTime - serverCpu0;

Console.WriteLine($"measured: {count} pods, first to last binding {span.TotalSeconds:F2} s: {ClusterLoad.Rate(count, span)} pods/s{(decisionsOnly ? " (decisions only)" : "")}");
Console.WriteLine($"  pods created in {created.TotalSeconds:F2} s ({ClusterLoad.Rate(options.MeasuredPods, created)}/s by {options.Creators} creators); all bound {total.TotalSeconds:F2} s after the first create");
Console.WriteLine($"  scheduling cycles: {cycles}, {cycleTime.TotalSeconds:F2} s in all, {cycleTime.TotalMilliseconds * 1000 / Math.Max(1, cycles):F0} us each (busy {100 * cycleTime / total:F0} % of the phase; filter {filterTime.TotalMilliseconds * 1000 / Math.Max(1, cycles):F0} us, score {scoreTime.TotalMilliseconds * 1000 / Math.Max(1, cycles):F0} us)");
Console.WriteLine($"  bind calls: {binds}, {bindTime.TotalMilliseconds / Math.Max(1, binds):F2} ms each on average (concurrent)");
Console.WriteLine($"  cpu: bench process (scheduler + creators) {benchCpu.TotalSeconds:F1} s, timonel server {serverCpu.TotalSeconds:F1} s, over {total.TotalSeconds:F1} s on {Environment.ProcessorCount} cores");
await ReportUnschedulableAsync();
return 0;

// A pod no node can hold: what the user sees of the failure (the PodScheduled condition and the core/v1 events
// `kubectl describe pod` lists), to check the writes reach the server as upstream's do.
async Task ReportUnschedulableAsync()
{
    var pod = ClusterLoad.Pod("too-big");
    pod.Spec.Containers[0].Resources.Requests["cpu"] = new ResourceQuantity("1000");
    pod.Spec.Containers[0].Resources.Limits["cpu"] = new ResourceQuantity("1000");
    await client.CoreV1.CreateNamespacedPodAsync(pod, ClusterLoad.Namespace);
    for (var attempt = 0; attempt < 100; attempt++)
    {
        var current = await client.CoreV1.ReadNamespacedPodAsync("too-big", ClusterLoad.Namespace);
        var events = await client.CoreV1.ListNamespacedEventAsync(ClusterLoad.Namespace, fieldSelector: "involvedObject.name=too-big");
        if (current.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is { } condition && events.Items.Count > 0)
        {
            Console.WriteLine($"unschedulable pod: condition PodScheduled={condition.Status} reason={condition.Reason} message={condition.Message}");
            foreach (var ev in events.Items)
            {
                Console.WriteLine($"  event: {ev.Type} {ev.Reason} from {ev.ReportingComponent ?? ev.Source?.Component}: {ev.Message}");
            }

            return;
        }

        await Task.Delay(100);
    }

    Console.WriteLine("unschedulable pod: no PodScheduled condition or event after 10 s");
}

// Posts one binding for a throw-away pod: 404 means the server does not serve pods/binding yet.
async Task<bool> BindingWorksAsync()
{
    var probe = await client.CoreV1.CreateNamespacedPodAsync(ClusterLoad.Pod("binding-probe"), ClusterLoad.Namespace);
    try
    {
        await client.CoreV1.CreateNamespacedPodBindingAsync(
            new V1Binding { Metadata = new V1ObjectMeta { Name = probe.Metadata.Name }, Target = new V1ObjectReference { Kind = "Node", Name = "sim-0" } },
            probe.Metadata.Name,
            ClusterLoad.Namespace);
        return true;
    }
    catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
    {
        return false;
    }
    finally
    {
        await client.CoreV1.DeleteNamespacedPodAsync(probe.Metadata.Name, ClusterLoad.Namespace, gracePeriodSeconds: 0);
    }
}
