using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>Priority on new pods: the class's value and policy, the global default, upstream's refusals.</summary>
public sealed class PriorityAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await AdmissionHarness.StartAsync();
        await _harness.CreateAsync("serviceaccounts", "default", Named("default"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_NamedClass_TakesItsValueAndPreemptionPolicy()
    {
        await PriorityClassAsync("high", 1000, preemptionPolicy: "Never");

        var pod = await _harness.CreateAsync("pods", "default", Pod("p", Spec("high")));

        Assert.Equal("1000", JsonPath.Json(pod, "spec/priority"));
        Assert.Equal("\"Never\"", JsonPath.Json(pod, "spec/preemptionPolicy"));
    }

    [Fact]
    public async Task Create_UnknownClass_ForbiddenWithUpstreamsMessage()
    {
        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("pods", "default", Pod("p", Spec("nope"))));

        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"p\" is forbidden: no PriorityClass with name nope was found", refused.Message);
    }

    [Fact]
    public async Task Create_NoClass_TakesTheGlobalDefaultOfLowestValue()
    {
        await PriorityClassAsync("plain", 5);
        await PriorityClassAsync("default-high", 100, globalDefault: true);
        await PriorityClassAsync("default-low", 10, globalDefault: true);

        var pod = await _harness.CreateAsync("pods", "default", Pod("p"));

        Assert.Equal("\"default-low\"", JsonPath.Json(pod, "spec/priorityClassName"));
        Assert.Equal("10", JsonPath.Json(pod, "spec/priority"));
        Assert.Equal("\"PreemptLowerPriority\"", JsonPath.Json(pod, "spec/preemptionPolicy"));
    }

    [Fact]
    public async Task Create_NoClassNoDefault_PriorityZero()
    {
        var pod = await _harness.CreateAsync("pods", "default", Pod("p"));

        Assert.Equal("0", JsonPath.Json(pod, "spec/priority"));
        Assert.Equal("\"PreemptLowerPriority\"", JsonPath.Json(pod, "spec/preemptionPolicy"));
        Assert.Equal("missing", JsonPath.Json(pod, "spec/priorityClassName"));
    }

    [Fact]
    public async Task Create_PriorityDiffersFromTheClass_Forbidden()
    {
        await PriorityClassAsync("high", 1000);
        var spec = Spec("high");
        spec["priority"] = 5;

        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("pods", "default", Pod("p", spec)));

        Assert.Equal(
            "pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name",
            refused.Message);
    }

    private static JsonObject Spec(string priorityClassName) => new()
    {
        ["containers"] = new JsonArray(Container("c")),
        ["priorityClassName"] = priorityClassName,
    };

    private Task<JsonObject> PriorityClassAsync(string name, long value, bool globalDefault = false, string? preemptionPolicy = null)
    {
        var priorityClass = new JsonObject
        {
            ["apiVersion"] = "scheduling.k8s.io/v1",
            ["kind"] = "PriorityClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["value"] = value,
            ["globalDefault"] = globalDefault,
        };
        if (preemptionPolicy is not null)
        {
            priorityClass["preemptionPolicy"] = preemptionPolicy;
        }

        return _harness.CreateAsync("priorityclasses", null, priorityClass, "scheduling.k8s.io");
    }
}
