using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>LimitRanger: a namespace's LimitRanges default and bound pods' and claims' resources, with upstream's words.</summary>
public sealed class LimitRangerAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await AdmissionHarness.StartAsync();
        await _harness.CreateAsync("serviceaccounts", "default", Named("default"));
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_ContainerDefaults_FilledInAndAnnotated()
    {
        await LimitRangeAsync("""{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"}}""");
        var spec = new JsonObject { ["initContainers"] = new JsonArray(Container("init")), ["containers"] = new JsonArray(Container("app")) };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        // defaultRequest's memory comes from default, as LimitRange defaulting fills it.
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"256Mi"}}""", JsonPath.Json(pod, "spec/containers/0/resources"));
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"256Mi"}}""", JsonPath.Json(pod, "spec/initContainers/0/resources"));
        Assert.Equal(
            "\"LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app; cpu, memory request for init container init; cpu, memory limit for init container init\"",
            pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_ContainerSetsItsOwn_KeptAndOnlyTheRestDefaulted()
    {
        await LimitRangeAsync("""{"type":"Container","default":{"cpu":"500m","memory":"256Mi"}}""");
        var container = Container("app");
        container["resources"] = new JsonObject { ["limits"] = new JsonObject { ["cpu"] = "1" }, ["requests"] = new JsonObject { ["cpu"] = "1" } };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", new JsonObject { ["containers"] = new JsonArray(container) }));

        Assert.Equal("""{"limits":{"cpu":"1","memory":"256Mi"},"requests":{"cpu":"1","memory":"256Mi"}}""", JsonPath.Json(pod, "spec/containers/0/resources"));
        Assert.Equal("\"LimitRanger plugin set: memory request for container app; memory limit for container app\"", pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"Container","min":{"cpu":"100m"}}""", "50m", "1", "minimum cpu usage per Container is 100m, but request is 50m")]
    [InlineData("""{"type":"Container","max":{"cpu":"1"}}""", "500m", "2", "maximum cpu usage per Container is 1, but limit is 2")]
    [InlineData("""{"type":"Container","maxLimitRequestRatio":{"cpu":"2"}}""", "100m", "1", "cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000")]
    [InlineData("""{"type":"Pod","max":{"cpu":"1"}}""", "600m", "600m", "maximum cpu usage per Pod is 1, but limit is 1200m")]
    public async Task Create_OutsideTheRange_ForbiddenWithUpstreamsMessage(string item, string request, string limit, string expected)
    {
        await LimitRangeAsync(item);
        var spec = new JsonObject { ["containers"] = new JsonArray(Sized("a", request, limit), Sized("b", request, limit)) };

        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("pods", "default", Pod("web", spec)));

        Assert.Equal(403, refused.Code);
        Assert.Equal(
            item.Contains("\"Pod\"", StringComparison.Ordinal) ? $"pods \"web\" is forbidden: {expected}" : $"pods \"web\" is forbidden: [{expected}, {expected}]",
            refused.Message);
    }

    [Fact]
    public async Task Create_MinOnly_BecomesTheDefaultRequest()
    {
        await LimitRangeAsync("""{"type":"Container","min":{"memory":"1Gi"},"defaultRequest":{}}""");
        var spec = new JsonObject { ["containers"] = new JsonArray(Container("a")) };

        var pod = await _harness.CreateAsync("pods", "default", Pod("web", spec));

        // LimitRange defaulting makes min the default request, so the container gets one instead of a refusal.
        Assert.Equal("\"1Gi\"", JsonPath.Json(pod, "spec/containers/0/resources/requests/memory"));
    }

    [Theory]
    [InlineData("500Mi", "persistentvolumeclaims \"data\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi")]
    [InlineData("20Gi", "persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi")]
    public async Task Create_ClaimOutsideTheRange_Forbidden(string size, string expected)
    {
        await LimitRangeAsync("""{"type":"PersistentVolumeClaim","min":{"storage":"1Gi"},"max":{"storage":"10Gi"}}""");

        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("persistentvolumeclaims", "default", Claim("data", size)));

        Assert.Equal(expected, refused.Message);
    }

    [Fact]
    public async Task Create_ClaimWithinTheRange_Stored()
    {
        await LimitRangeAsync("""{"type":"PersistentVolumeClaim","min":{"storage":"1Gi"},"max":{"storage":"10Gi"}}""");

        var claim = await _harness.CreateAsync("persistentvolumeclaims", "default", Claim("data", "5Gi"));

        Assert.Equal("\"5Gi\"", JsonPath.Json(claim, "spec/resources/requests/storage"));
    }

    internal static JsonObject Claim(string name, string size) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
        },
    };

    private static JsonObject Sized(string name, string request, string limit)
    {
        var container = Container(name);
        container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = request }, ["limits"] = new JsonObject { ["cpu"] = limit } };
        return container;
    }

    private Task<JsonObject> LimitRangeAsync(string item)
    {
        var limitRange = Named("limits");
        limitRange["spec"] = new JsonObject { ["limits"] = new JsonArray(JsonNode.Parse(item)) };
        return _harness.CreateAsync("limitranges", "default", limitRange);
    }
}
