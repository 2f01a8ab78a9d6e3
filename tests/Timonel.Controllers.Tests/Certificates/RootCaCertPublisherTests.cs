using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Certificates;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.TestObjects;

namespace Timonel.Controllers.Tests.Certificates;

public sealed class RootCaCertPublisherTests : IDisposable
{
    private const string RootCa = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private const string ConfigMaps = "/api/v1/namespaces/ns-1/configmaps";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Namespace> _namespaces = new();
    private readonly TestInformer<V1ConfigMap> _published = new();
    private readonly RootCaCertPublisher _controller;

    public RootCaCertPublisherTests() =>
        _controller = new(_api.Client, _namespaces.Informer, _published.Informer, RootCa, new FakeTimeProvider(), NullLogger<RootCaCertPublisher>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ConfigMapMissing_CreatesItWithTheCaAndDescription()
    {
        await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal([$"POST {ConfigMaps}"], _api.Calls);
        var created = _api.Requests[0].BodyAs<V1ConfigMap>();
        Assert.Equal("kube-root-ca.crt", created.Metadata.Name);
        Assert.Equal(new Dictionary<string, string> { ["ca.crt"] = RootCa }, created.Data);
        Assert.Equal(RootCaCertPublisher.Description, created.Metadata.Annotations["kubernetes.io/description"]);
    }

    [Fact]
    public async Task SyncAsync_ConfigMapUpToDate_CallsNothing()
    {
        _published.Add(Published(new() { ["ca.crt"] = RootCa }, RootCaCertPublisher.Description));

        await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    public static TheoryData<string, Dictionary<string, string>, string?> Drifted => new()
    {
        { "other CA", new() { ["ca.crt"] = "tampered" }, RootCaCertPublisher.Description },
        { "extra key", new() { ["ca.crt"] = RootCa, ["extra"] = "x" }, RootCaCertPublisher.Description },
        { "no description", new() { ["ca.crt"] = RootCa }, null },
    };

    [Theory]
    [MemberData(nameof(Drifted))]
    public async Task SyncAsync_ConfigMapChanged_PutsBackTheCaWithoutTouchingTheCachedObject(string change, Dictionary<string, string> data, string? description)
    {
        var cached = Published(data, description);
        _published.Add(cached);

        await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.True(_api.Calls.SequenceEqual([$"PUT {ConfigMaps}/kube-root-ca.crt"]), change);
        var replaced = _api.Requests[0].BodyAs<V1ConfigMap>();
        Assert.Equal(new Dictionary<string, string> { ["ca.crt"] = RootCa }, replaced.Data);
        Assert.Equal(RootCaCertPublisher.Description, replaced.Metadata.Annotations["kubernetes.io/description"]);
        Assert.Same(data, cached.Data);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NotFound")]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden")]
    [InlineData(HttpStatusCode.Conflict, "AlreadyExists")]
    public async Task SyncAsync_CreateRefused_DoneWithoutRetry(HttpStatusCode status, string reason)
    {
        _api.Fail(HttpMethod.Post, ConfigMaps, status, reason);

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1", CancellationToken.None));
    }

    [Fact]
    public async Task Handlers_ConfigMapChangedOrDeleted_QueueItsNamespace()
    {
        var cached = Published(new() { ["ca.crt"] = RootCa }, RootCaCertPublisher.Description);
        _published.Add(cached);

        _published.Add(Published(new() { ["ca.crt"] = "tampered" }, null));
        var afterUpdate = _controller.Queue.Len;
        await _controller.TakeAsync();
        _published.Delete(cached);

        Assert.Equal(1, afterUpdate);
        Assert.Equal("ns-1", await _controller.TakeAsync());
    }

    [Theory]
    [InlineData("Active", 1)]
    [InlineData("Terminating", 0)]
    public async Task Handlers_NamespaceUpdated_QueuedOnlyWhenActive(string phase, int queued)
    {
        _namespaces.Add(NamespaceObject("ns-1", "Active"));
        await _controller.TakeAsync();

        _namespaces.Add(NamespaceObject("ns-1", phase));

        Assert.Equal(queued, _controller.Queue.Len);
    }

    private static V1ConfigMap Published(Dictionary<string, string> data, string? description) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "kube-root-ca.crt",
            NamespaceProperty = "ns-1",
            Annotations = description is null ? null : new Dictionary<string, string> { ["kubernetes.io/description"] = description },
        },
        Data = data,
    };
}
