using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Namespace;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.TestObjects;

namespace Timonel.Controllers.Tests.Namespace;

public sealed class NamespaceControllerTests : IDisposable
{
    private const string ConfigMaps = "/api/v1/namespaces/ns-1/configmaps";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Namespace> _namespaces = new();
    private readonly NamespaceController _controller;

    public NamespaceControllerTests()
    {
        _controller = new(_api.Client, _namespaces.Informer, new FakeTimeProvider(), NullLogger<NamespaceController>.Instance);

        // Discovery: one namespaced kind that can be deleted as a collection, one cluster-scoped, one subresource.
        _api.Answer(HttpMethod.Get, "/apis", HttpStatusCode.OK, """{"kind":"APIGroupList","groups":[]}""");
        _api.Answer(HttpMethod.Get, "/api/v1", HttpStatusCode.OK, """
            {"kind":"APIResourceList","groupVersion":"v1","resources":[
              {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["create","delete","deletecollection","get","list"]},
              {"name":"nodes","namespaced":false,"kind":"Node","verbs":["delete","deletecollection","get","list"]},
              {"name":"pods/status","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]}]}
            """);
        _api.Answer(HttpMethod.Get, ConfigMaps + "?limit=1", HttpStatusCode.OK, """{"kind":"ConfigMapList","items":[]}""");
    }

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NamespaceNotBeingDeleted_CallsNothing()
    {
        _namespaces.Add(NamespaceObject("ns-1"));

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1", CancellationToken.None));
        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_DeletingAndEmptied_DeletesContentThenFinalizesAndDeletesTheNamespace()
    {
        _namespaces.Add(Deleting("kubernetes"));

        var result = await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal(
            ["GET /apis", "GET /api/v1", $"DELETE {ConfigMaps}", $"GET {ConfigMaps}?limit=1", "PUT /api/v1/namespaces/ns-1/finalize", "DELETE /api/v1/namespaces/ns-1"],
            _api.Calls);
        Assert.Empty(_api.Requests[4].BodyAs<V1Namespace>().Spec.Finalizers);
    }

    [Fact]
    public async Task SyncAsync_ContentStillThere_RequeuedAfterASecondWithoutFinalizing()
    {
        _namespaces.Add(Deleting("kubernetes"));
        _api.Answer(HttpMethod.Get, ConfigMaps + "?limit=1", HttpStatusCode.OK, """{"kind":"ConfigMapList","items":[{"metadata":{"name":"held","finalizers":["x"]}}]}""");

        var result = await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal(SyncResult.Requeue(TimeSpan.FromSeconds(1)), result);
        Assert.DoesNotContain(_api.Calls, call => call.EndsWith("/finalize", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_AnotherFinalizerRemains_NamespaceNotDeleted()
    {
        _namespaces.Add(Deleting("kubernetes", "example.com/other"));
        _api.Answer(HttpMethod.Put, "/api/v1/namespaces/ns-1/finalize", HttpStatusCode.OK, """{"metadata":{"name":"ns-1"},"spec":{"finalizers":["example.com/other"]}}""");

        await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal("PUT /api/v1/namespaces/ns-1/finalize", _api.Calls[^1]);
    }

    [Fact]
    public async Task SyncAsync_FinalizeConflicts_ThrowsSoTheKeyIsRetried()
    {
        _namespaces.Add(Deleting("kubernetes"));
        _api.Fail(HttpMethod.Put, "/api/v1/namespaces/ns-1/finalize", HttpStatusCode.Conflict, "Conflict");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync("ns-1", CancellationToken.None));
    }

    [Fact]
    public async Task Handlers_OnlyNamespacesBeingDeleted_Queued()
    {
        _namespaces.Add(NamespaceObject("active"));
        _namespaces.Add(Deleting("kubernetes"));

        Assert.Equal(1, _controller.Queue.Len);
        Assert.Equal("ns-1", await _controller.TakeAsync());
    }

    private static V1Namespace Deleting(params string[] finalizers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ns-1", DeletionTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        Spec = new V1NamespaceSpec { Finalizers = finalizers },
        Status = new V1NamespaceStatus { Phase = "Terminating" },
    };
}
