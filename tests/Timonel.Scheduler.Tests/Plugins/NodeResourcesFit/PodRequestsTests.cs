using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.NodeResourcesFit;

public sealed class PodRequestsTests
{
    public static TheoryData<string, (string Cpu, string? Restart)[], string[], string?, long> Cases => new()
    {
        // name, init containers (cpu, restartPolicy), containers' cpu, overhead cpu, expected millicores
        { "containers sum", [], ["100m", "200m"], null, 300 },
        { "a larger init container wins", [("1", null)], ["100m", "200m"], null, 1000 },
        { "a smaller init container does not count", [("50m", null)], ["100m", "200m"], null, 300 },
        { "sidecars add to the containers", [("500m", "Always")], ["100m"], null, 600 },
        { "an init container after a sidecar runs beside it", [("500m", "Always"), ("1", null)], ["100m"], null, 1500 },
        { "an init container before a sidecar runs alone", [("1", null), ("500m", "Always")], ["100m"], null, 1000 },
        { "overhead adds", [], ["100m"], "250m", 350 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compute_InitContainersSidecarsOverhead_AsUpstream(string name, (string Cpu, string? Restart)[] init, string[] containers, string? overhead, long expected)
    {
        Assert.NotEmpty(name);
        var pod = Make.Pod("p");
        pod.Spec.Containers = [.. containers.Select((cpu, i) => Container($"c{i}", cpu, null))];
        pod.Spec.InitContainers = [.. init.Select((c, i) => Container($"i{i}", c.Cpu, c.Restart))];
        if (overhead is not null)
        {
            pod.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(overhead) };
        }

        Assert.Equal(expected, PodRequests.Compute(pod, nonZero: false).MilliCpu);
    }

    [Fact]
    public void Compute_NonZero_DefaultsOnlyWhatAContainerOmits()
    {
        var pod = Make.Pod("p");
        pod.Spec.Containers = [Container("a", "1", null), Container("b", null, null)];

        var requests = PodRequests.Compute(pod, nonZero: true);

        Assert.Equal(1100, requests.MilliCpu);
        Assert.Equal(2 * PodRequests.DefaultMemoryRequest, requests.Memory);
    }

    private static V1Container Container(string name, string? cpu, string? restartPolicy) => new()
    {
        Name = name,
        RestartPolicy = restartPolicy,
        Resources = new V1ResourceRequirements { Requests = cpu is null ? null : new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } },
    };
}
