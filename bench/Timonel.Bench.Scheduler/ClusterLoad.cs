using System.Globalization;
using k8s;
using k8s.Models;

namespace Timonel.Bench.Scheduler;

/// <summary>Nodes and pods as scheduler_perf's SchedulingBasic makes them (config/templates node-default.yaml, pod-default.yaml).</summary>
internal static class ClusterLoad
{
    public const string Namespace = "default";

    /// <summary>Ready nodes with cpu 4, memory 32Gi, 110 pods; created with their status, then the status written if the server cleared it.</summary>
    public static async Task CreateNodesAsync(IKubernetes client, int count, int creators)
    {
        await ForEachAsync(count, creators, async i =>
        {
            var node = Node($"sim-{i}");
            var created = await client.CoreV1.CreateNodeAsync(node);
            if (created.Status?.Allocatable is not { Count: > 0 })
            {
                created.Status = node.Status;
                await client.CoreV1.ReplaceNodeStatusAsync(created, created.Metadata.Name);
            }
        });
    }

    /// <param name="shape">What the workload changes in each pod (none for SchedulingBasic).</param>
    public static Task CreatePodsAsync(IKubernetes client, string prefix, int count, int creators, Func<V1Pod, V1Pod>? shape = null) =>
        ForEachAsync(count, creators, i => client.CoreV1.CreateNamespacedPodAsync((shape ?? (p => p))(Pod($"{prefix}-{i}")), Namespace));

    public static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "pause",
                    Image = "registry.k8s.io/pause:3.10",
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("500Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("500Mi") },
                    },
                },
            ],
        },
    };

    private static V1Node Node(string name)
    {
        var capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("32Gi"), ["pods"] = new("110") };
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus
            {
                Capacity = capacity,
                Allocatable = capacity,
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = DateTime.UtcNow, LastTransitionTime = DateTime.UtcNow }],
                Phase = "Running",
            },
        };
    }

    public static async Task ForEachAsync(int count, int workers, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }

    public static string Rate(int count, TimeSpan elapsed) => (count / elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture);
}
