using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class PodTableRowTests
{
    private static readonly TableContext _context = new(StoreSteps.Created.AddHours(1));

    private const string OneContainer = "\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]";

    [Theory]
    // A new pod: Pending, nothing ready.
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Pending\"}", null, "0/1", "Pending", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Pending\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}", null, "0/1", "ContainerCreating", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}", null, "1/1", "Running", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,\"restartCount\":5,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"2026-01-02T03:59:05Z\"}}}]}", null, "0/1", "CrashLoopBackOff", "5 (5m ago)")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}", null, "0/1", "Completed", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":137}}}]}", null, "0/1", "ExitCode:137", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}", "2026-01-02T04:00:00Z", "1/1", "Terminating", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Succeeded\"}", "2026-01-02T04:00:00Z", "0/1", "Succeeded", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Running\",\"reason\":\"NodeLost\"}", "2026-01-02T04:00:00Z", "0/1", "Unknown", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Failed\",\"reason\":\"Evicted\"}", null, "0/1", "Evicted", "0")]
    [InlineData("{" + OneContainer + "}", "{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"SchedulingGated\"}]}", null, "0/1", "SchedulingGated", "0")]
    // Init containers: progress, failures, and a running sidecar counted among the containers.
    [InlineData("{\"initContainers\":[{\"name\":\"a\"},{\"name\":\"b\"}]," + OneContainer + "}", "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"a\",\"state\":{\"terminated\":{\"exitCode\":0}}},{\"name\":\"b\",\"state\":{\"running\":{}}}]}", null, "0/1", "Init:1/2", "0")]
    [InlineData("{\"initContainers\":[{\"name\":\"a\"}]," + OneContainer + "}", "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"a\",\"restartCount\":2,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}}}]}", null, "0/1", "Init:CrashLoopBackOff", "2")]
    [InlineData("{\"initContainers\":[{\"name\":\"a\"}]," + OneContainer + "}", "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"a\",\"state\":{\"terminated\":{\"exitCode\":3}}}]}", null, "0/1", "Init:ExitCode:3", "0")]
    [InlineData("{\"initContainers\":[{\"name\":\"side\",\"restartPolicy\":\"Always\"}]," + OneContainer + "}", "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Initialized\",\"status\":\"True\"}],\"initContainerStatuses\":[{\"name\":\"side\",\"started\":true,\"ready\":true,\"state\":{\"running\":{}}}],\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"state\":{\"running\":{}}}]}", null, "2/2", "Running", "0")]
    public void Cells_PodStatus_AsKubectlShows(string spec, string status, string? deletionTimestamp, string ready, string reason, string restarts)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "p", ["creationTimestamp"] = "2026-01-02T03:04:05Z", ["deletionTimestamp"] = deletionTimestamp },
            ["spec"] = JsonNode.Parse(spec),
            ["status"] = JsonNode.Parse(status),
        };

        var cells = Cells(pod);

        Assert.Equal(["p", ready, reason, restarts, "60m"], cells.Take(5));
    }

    [Fact]
    public void Cells_WideColumns_ShowNoneWhenUnset()
    {
        var pod = StoreSteps.Create("", Examples.Load("01-pod.yaml", "Pod"));

        Assert.Equal(["<none>", "<none>", "<none>", "<none>"], Cells(pod).Skip(5));
    }

    [Fact]
    public void Cells_ScheduledPodWithGates_ShowIpNodeAndGates()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p"},
             "spec":{"nodeName":"n1","readinessGates":[{"conditionType":"example.com/a"},{"conditionType":"example.com/b"}],"containers":[]},
             "status":{"podIPs":[{"ip":"10.42.0.5"}],"conditions":[{"type":"example.com/a","status":"True"}]}}
            """)!.AsObject();

        Assert.Equal(["10.42.0.5", "n1", "<none>", "1/2"], Cells(pod).Skip(5));
    }

    private static List<string?> Cells(JsonObject pod) => StoreSteps.Cells("", "Pod", pod, _context);
}
