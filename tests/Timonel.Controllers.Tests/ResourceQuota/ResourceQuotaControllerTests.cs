using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Informers;
using Timonel.Controllers.ResourceQuota;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.ResourceQuota;

public sealed class ResourceQuotaControllerTests : IDisposable
{
    private const string StatusPath = "/api/v1/namespaces/ns-1/resourcequotas/q/status";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1ResourceQuota> _quotas = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1Service> _services = new();
    private readonly TestInformer<PartialObjectMetadata> _configMaps = new();
    private readonly ResourceQuotaController _controller;

    public ResourceQuotaControllerTests() =>
        _controller = new(_api.Client, _quotas.Informer, _pods.Informer, _services.Informer, [_configMaps.Informer], new FakeTimeProvider(), NullLogger<ResourceQuotaController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NewQuota_WritesHardFromSpecAndCountsUsage()
    {
        _quotas.Add(Quota(new() { ["pods"] = "2", ["requests.cpu"] = "1", ["count/deployments.apps"] = "3" }));
        _api.Answer(HttpMethod.Get, "/api/v1/namespaces/ns-1/pods", HttpStatusCode.OK, """
            {"items":[
              {"metadata":{"name":"a"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"250m"}}}]},"status":{"phase":"Running"}},
              {"metadata":{"name":"done"},"spec":{"containers":[{"name":"c","resources":{"requests":{"cpu":"500m"}}}]},"status":{"phase":"Succeeded"}}]}
            """);
        _api.Answer(HttpMethod.Get, "/apis/apps", HttpStatusCode.OK, """{"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}""");
        _api.Answer(HttpMethod.Get, "/apis/apps/v1/namespaces/ns-1/deployments", HttpStatusCode.OK, """{"items":[{"metadata":{"name":"web"}}]}""");

        var result = await _controller.SyncAsync("ns-1/q", CancellationToken.None);

        Assert.Equal(ResourceQuotaController.ResyncPeriod, result.RequeueAfter);
        var written = _api.Requests.Single(r => r.Method == "PUT");
        Assert.Equal(StatusPath, written.PathAndQuery);
        var status = JsonNode.Parse(written.Body!)!["status"]!;
        Assert.Equal("""{"count/deployments.apps":"3","pods":"2","requests.cpu":"1"}""", Sorted(status["hard"]!));
        // The finished pod no longer holds its pod slot or its cpu.
        Assert.Equal("""{"count/deployments.apps":"1","pods":"1","requests.cpu":"250m"}""", Sorted(status["used"]!));
    }

    [Fact]
    public async Task SyncAsync_NothingInTheNamespace_EveryLimitUsedZero()
    {
        _quotas.Add(Quota(new() { ["services"] = "2", ["configmaps"] = "5" }));
        _api.Answer(HttpMethod.Get, "/api/v1/namespaces/ns-1/services", HttpStatusCode.OK, """{"items":[]}""");
        _api.Answer(HttpMethod.Get, "/api/v1/namespaces/ns-1/configmaps", HttpStatusCode.OK, """{"items":[]}""");

        await _controller.SyncAsync("ns-1/q", CancellationToken.None);

        var status = JsonNode.Parse(_api.Requests.Single(r => r.Method == "PUT").Body!)!["status"]!;
        Assert.Equal("""{"configmaps":"0","services":"0"}""", Sorted(status["used"]!));
    }

    [Fact]
    public async Task SyncAsync_StatusAlreadyTrue_WritesNothing()
    {
        var quota = Quota(new() { ["pods"] = "2" });
        quota.Status = new V1ResourceQuotaStatus { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("2") }, Used = new Dictionary<string, ResourceQuantity> { ["pods"] = new("0") } };
        _quotas.Add(quota);
        _api.Answer(HttpMethod.Get, "/api/v1/namespaces/ns-1/pods", HttpStatusCode.OK, """{"items":[]}""");

        var result = await _controller.SyncAsync("ns-1/q", CancellationToken.None);

        Assert.Equal(["GET /api/v1/namespaces/ns-1/pods"], _api.Calls);
        Assert.Equal(ResourceQuotaController.ResyncPeriod, result.RequeueAfter);
    }

    [Fact]
    public async Task Handlers_PodDeletedOrFinished_QueueTheNamespacesQuotas()
    {
        var quota = Quota(new() { ["pods"] = "2" });
        quota.Status = new V1ResourceQuotaStatus { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("2") }, Used = new Dictionary<string, ResourceQuantity> { ["pods"] = new("1") } };
        _quotas.Add(quota);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "a", NamespaceProperty = "ns-1" }, Status = new V1PodStatus { Phase = "Running" } };
        _pods.Add(pod);

        _pods.Add(new V1Pod { Metadata = pod.Metadata, Status = new V1PodStatus { Phase = "Succeeded" } });
        var afterFinish = await _controller.TakeAsync();
        _pods.Delete(pod);
        var afterDelete = await _controller.TakeAsync();
        _configMaps.Delete(new PartialObjectMetadata { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = "ns-1" } });
        var afterConfigMap = await _controller.TakeAsync();

        Assert.Equal(["ns-1/q", "ns-1/q", "ns-1/q"], new[] { afterFinish, afterDelete, afterConfigMap });
    }

    private static V1ResourceQuota Quota(Dictionary<string, string> hard) => new()
    {
        Metadata = new V1ObjectMeta { Name = "q", NamespaceProperty = "ns-1", ResourceVersion = "7" },
        Spec = new V1ResourceQuotaSpec { Hard = hard.ToDictionary(h => h.Key, h => new ResourceQuantity(h.Value)) },
    };

    private static string Sorted(JsonNode node) =>
        new JsonObject(node.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();
}
