using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Admission.ResourceQuota;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Json;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Admission.ResourceQuota;

/// <summary>The ResourceQuota plugin through the store: charges, refusals with upstream's words, and no double spending.</summary>
public sealed class ResourceQuotaAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    private GenericStore Quotas => _harness.Store("", "resourcequotas");

    private GenericStore Pods => _harness.Store("", "pods");

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        var services = new AdmissionServices(_harness.Registry, new SystemMastersAuthorizer(), TimeProvider.System);
        _harness.Registry.Admission = new AdmissionChain([new ResourceQuotaAdmission(services)]);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CreatePod_UnderQuota_ChargesUsed_OverQuota_RefusedWithUpstreamsMessage()
    {
        await QuotaAsync("q", """{"pods":"1"}""", """{"pods":"0"}""");

        await Pods.CreateAsync("default", Pod("one"), dryRun: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<StatusException>(() => Pods.CreateAsync("default", Pod("two"), dryRun: false, CancellationToken.None));

        Assert.Equal("1", await UsedAsync("q", "pods"));
        Assert.Equal(403, refused.Code);
        Assert.Equal("pods \"two\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1", refused.Message);
    }

    [Fact]
    public async Task CreatePod_QuotaOnCpu_ContainerWithoutRequest_MustSpecify()
    {
        await QuotaAsync("compute", """{"requests.cpu":"1","pods":"10"}""", """{"requests.cpu":"0","pods":"0"}""");

        var refused = await Assert.ThrowsAsync<StatusException>(() => Pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None));

        Assert.Equal("pods \"web\" is forbidden: failed quota: compute: must specify requests.cpu for: nginx", refused.Message);
    }

    [Fact]
    public async Task CreatePod_CpuOverQuota_NamesOnlyTheExceededResource()
    {
        await QuotaAsync("compute", """{"requests.cpu":"1","pods":"10"}""", """{"requests.cpu":"750m","pods":"3"}""");
        var pod = Pod("big");
        pod["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"requests":{"cpu":"500m"}}""");

        var refused = await Assert.ThrowsAsync<StatusException>(() => Pods.CreateAsync("default", pod, dryRun: false, CancellationToken.None));

        Assert.Equal("pods \"big\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=750m, limited: requests.cpu=1", refused.Message);
        Assert.Equal("3", await UsedAsync("compute", "pods"));
    }

    [Fact]
    public async Task CreatePod_QuotaNotCountedYet_StatusUnknown()
    {
        await QuotaAsync("fresh", """{"pods":"5"}""", "{}");

        var refused = await Assert.ThrowsAsync<StatusException>(() => Pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None));

        Assert.Equal("pods \"web\" is forbidden: status unknown for quota: fresh, resources: pods", refused.Message);
    }

    [Fact]
    public async Task CreatePod_QuotaWithoutStatusHard_LimitsNothing()
    {
        await Quotas.CreateAsync("default", Quota("pending", """{"pods":"0"}"""), dryRun: false, CancellationToken.None);

        await Pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);
    }

    [Fact]
    public async Task CreatePods_Concurrently_OnlyOneTakesTheLastUnit()
    {
        await QuotaAsync("q", """{"pods":"1"}""", """{"pods":"0"}""");

        var attempts = Enumerable.Range(0, 4).Select(i => Task.Run(() => Pods.CreateAsync("default", Pod($"p{i}"), dryRun: false, CancellationToken.None))).ToList();
        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(1, attempts.Count(a => a.IsCompletedSuccessfully));
        Assert.All(attempts.Where(a => a.IsFaulted), a => Assert.Contains("exceeded quota: q", a.Exception!.InnerException!.Message, StringComparison.Ordinal));
        Assert.Equal("1", await UsedAsync("q", "pods"));
    }

    [Fact]
    public async Task CreatePod_DryRun_NotCharged()
    {
        await QuotaAsync("q", """{"pods":"1"}""", """{"pods":"0"}""");

        await Pods.CreateAsync("default", Pod("web"), dryRun: true, CancellationToken.None);

        Assert.Equal("0", await UsedAsync("q", "pods"));
    }

    [Fact]
    public async Task CreatePod_BestEffortScope_PodWithRequestsNotCharged()
    {
        await QuotaAsync("besteffort", """{"pods":"0"}""", """{"pods":"0"}""", """{"scopes":["BestEffort"]}""");
        var pod = Pod("burstable");
        pod["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"requests":{"cpu":"100m"}}""");

        await Pods.CreateAsync("default", pod, dryRun: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<StatusException>(() => Pods.CreateAsync("default", Pod("plain"), dryRun: false, CancellationToken.None));

        Assert.StartsWith("pods \"plain\" is forbidden: exceeded quota: besteffort", refused.Message);
    }

    [Fact]
    public async Task UpdateService_ToNodePort_ChargedTheDifference()
    {
        await QuotaAsync("svc", """{"services.nodeports":"0","services":"5"}""", """{"services.nodeports":"0","services":"0"}""");
        var services = _harness.Store("", "services");
        await services.CreateAsync("default", JsonNode.Parse("""{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""")!.AsObject(), dryRun: false, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StatusException>(() => services.GuaranteedUpdateAsync("default", "web", svc =>
        {
            svc["spec"]!["type"] = "NodePort";
            return svc;
        }, services.Definition.Strategy, dryRun: false, CancellationToken.None));

        Assert.Equal("1", await UsedAsync("svc", "services"));
        Assert.Equal("services \"web\" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0", refused.Message);
    }

    [Fact]
    public async Task CreateConfigMap_CountQuota_Charged()
    {
        await QuotaAsync("objects", """{"count/configmaps":"1","configmaps":"5"}""", """{"count/configmaps":"0","configmaps":"0"}""");
        var configMaps = _harness.Store("", "configmaps");

        await configMaps.CreateAsync("default", JsonNode.Parse("""{"metadata":{"name":"a"}}""")!.AsObject(), dryRun: false, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<StatusException>(() => configMaps.CreateAsync("default", JsonNode.Parse("""{"metadata":{"name":"b"}}""")!.AsObject(), dryRun: false, CancellationToken.None));

        Assert.Equal("configmaps \"b\" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1", refused.Message);
        Assert.Equal("1", await UsedAsync("objects", "configmaps"));
    }

    private async Task QuotaAsync(string name, string hard, string used, string spec = "{}")
    {
        await Quotas.CreateAsync("default", Quota(name, hard, spec), dryRun: false, CancellationToken.None);
        await Quotas.GuaranteedUpdateAsync("default", name, quota =>
        {
            quota["status"] = new JsonObject { ["hard"] = JsonNode.Parse(hard), ["used"] = JsonNode.Parse(used) };
            return quota;
        }, new StatusStrategy(Quotas.Definition.Strategy), dryRun: false, CancellationToken.None);
    }

    private async Task<string?> UsedAsync(string quota, string resource) =>
        (await Quotas.GetAsync("default", quota, CancellationToken.None)).StringAt("status", "used", resource);

    private static JsonObject Quota(string name, string hard, string spec = "{}")
    {
        var specObject = JsonNode.Parse(spec)!.AsObject();
        specObject["hard"] = JsonNode.Parse(hard);
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = specObject };
    }

    private static JsonObject Pod(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "nginx", ["image"] = "nginx" }) },
    };
}
