using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Cloud.Service;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.Cloud.CloudTestObjects;

namespace Timonel.Controllers.Tests.Cloud.Service;

public sealed class ServiceControllerTests : IDisposable
{
    private const string Key = "ns-1/hello";
    private const string ServicePath = "/api/v1/namespaces/ns-1/services/hello";
    private readonly FakeApiServer _api = new();
    private readonly FakeLoadBalancer _balancer = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly TestInformer<V1Service> _services = new();
    private readonly TestInformer<V1Node> _nodes = new();
    private readonly ServiceController _controller;

    public ServiceControllerTests() =>
        _controller = new(_api.Client, _balancer, "kubernetes", _services.Informer, _nodes.Informer, _events, new FakeTimeProvider(), NullLogger<ServiceController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_NewLoadBalancerService_AddsTheFinalizerFirstThenWritesTheBalancerAddress()
    {
        _nodes.Add(NodeObject("node-a"), NodeObject("node-b", ready: false));
        _services.Add(ServiceObject());

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal([$"PATCH {ServicePath}", $"PATCH {ServicePath}/status"], _api.Calls);
        Assert.Equal(LoadBalancerServices.CleanupFinalizer, JsonNode.Parse(_api.Requests[0].Body!)!["metadata"]!["finalizers"]![0]!.GetValue<string>());
        var status = _api.Requests[1].BodyAs<V1Service>().Status.LoadBalancer.Ingress.Single();
        Assert.Equal(("192.0.2.10", "VIP"), (status.Ip, status.IpMode));
        Assert.Equal(["Ensure ns-1/hello node-a,node-b"], _balancer.Calls);
        Assert.Equal([("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"), ("Normal", "EnsuredLoadBalancer", "Ensured load balancer")], Events());
    }

    [Fact]
    public async Task SyncAsync_BalancerAlreadyShown_WritesNothingButEnsuresAgain()
    {
        _nodes.Add(NodeObject("node-a"));
        _services.Add(ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10"));

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(["Ensure ns-1/hello node-a"], _balancer.Calls);
    }

    [Fact]
    public async Task SyncAsync_NoNodes_WarnsThatNoneIsAvailable()
    {
        _services.Add(ServiceObject());

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Contains(("Warning", "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer"), Events());
    }

    [Fact]
    public async Task SyncAsync_ProviderFails_RecordsSyncLoadBalancerFailedAndThrowsForBackoff()
    {
        _nodes.Add(NodeObject("node-a"));
        _services.Add(ServiceObject());
        _balancer.Failure = "no free address left in the pool 192.0.2.0/30";

        await Assert.ThrowsAsync<InvalidOperationException>(() => _controller.SyncAsync(Key, CancellationToken.None));

        Assert.Equal(("Warning", "SyncLoadBalancerFailed", "Error syncing load balancer: failed to ensure load balancer: no free address left in the pool 192.0.2.0/30"), Events()[^1]);
        Assert.DoesNotContain(_api.Calls, c => c.EndsWith("/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_TypeChangedToClusterIp_DeletesTheBalancerThenReleasesTheFinalizerAndStatus()
    {
        var service = ServiceObject(type: "ClusterIP", finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10");
        _balancer.Has(service, "192.0.2.10");
        _services.Add(service);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(["Delete ns-1/hello"], _balancer.Calls);
        Assert.Equal([$"PATCH {ServicePath}", $"PATCH {ServicePath}/status"], _api.Calls);
        Assert.Equal(LoadBalancerServices.CleanupFinalizer, JsonNode.Parse(_api.Requests[0].Body!)!["metadata"]!["$deleteFromPrimitiveList/finalizers"]![0]!.GetValue<string>());
        Assert.Null(_api.Requests[1].BodyAs<V1Service>().Status.LoadBalancer.Ingress);
        Assert.Equal([("Normal", "DeletingLoadBalancer", "Deleting load balancer"), ("Normal", "DeletedLoadBalancer", "Deleted load balancer")], Events());
    }

    [Fact]
    public async Task SyncAsync_ServiceBeingDeleted_DeletesTheBalancerAndLetsTheServiceGo()
    {
        var service = ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10");
        service.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _balancer.Has(service, "192.0.2.10");
        _services.Add(service);

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(["Delete ns-1/hello"], _balancer.Calls);
        Assert.Contains($"PATCH {ServicePath}", _api.Calls);
    }

    [Fact]
    public async Task SyncAsync_ServiceGoneWithoutTheFinalizer_StillDeletesItsBalancer()
    {
        var service = ServiceObject();
        _nodes.Add(NodeObject("node-a"));
        _services.Add(service);
        await _controller.SyncAsync(Key, CancellationToken.None);

        _services.Delete(service);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(["Ensure ns-1/hello node-a", "Delete ns-1/hello"], _balancer.Calls);
        Assert.Equal(("Normal", "DeletedLoadBalancer", "Deleted load balancer"), Events()[^1]);
    }

    [Fact]
    public async Task SyncAsync_ServiceOfAnotherLoadBalancerClass_IsLeftAlone()
    {
        _services.Add(ServiceObject(loadBalancerClass: "example.com/other", ingressIp: "198.51.100.7"));

        Assert.Equal(0, _controller.Queue.Len);
        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Empty(_balancer.Calls);
        Assert.Empty(_events.Events);
    }

    [Fact]
    public async Task Handlers_OwnStatusWrite_DoesNotQueueButAPortChangeDoes()
    {
        var service = ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer]);
        _services.Add(service);
        Assert.Equal(Key, await _controller.TakeAsync());

        _services.Add(ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10"));
        Assert.Equal(0, _controller.Queue.Len);

        var moved = ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "192.0.2.10");
        moved.Spec.Ports[0].Port = 9090;
        _services.Add(moved);
        Assert.Equal(Key, await _controller.TakeAsync());
    }

    [Fact]
    public async Task SyncAsync_NodeJoinsAfterStart_PointsBalancersAtTheNewSetAndWritesTheirStatus()
    {
        _balancer.Address = (_, nodes) => nodes.Count == 1 ? "10.0.0.1" : "10.0.0.2";
        _nodes.Add(NodeObject("node-a"));
        var service = ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer], ingressIp: "10.0.0.1");
        _balancer.Has(service, "10.0.0.1");
        _services.Add(service);
        await _controller.SyncAsync(ServiceController.NodeSyncKey, CancellationToken.None);
        Assert.Empty(_balancer.Calls);

        _nodes.Add(NodeObject("node-b", internalIp: "10.0.0.2"));
        await _controller.SyncAsync(ServiceController.NodeSyncKey, CancellationToken.None);

        Assert.Equal(["Update ns-1/hello node-a,node-b"], _balancer.Calls);
        Assert.Equal([$"PATCH {ServicePath}/status"], _api.Calls);
        Assert.Equal(("Normal", "UpdatedLoadBalancer", "Updated load balancer with new hosts"), Events()[^1]);
    }

    [Fact]
    public async Task SyncAsync_FirstNodesComeAfterAServiceWasEnsuredWithoutAny_TheWaitingServiceIsTriedAgain()
    {
        _services.Add(ServiceObject(finalizers: [LoadBalancerServices.CleanupFinalizer]));
        _nodes.Add(NodeObject("node-a"));

        await _controller.SyncAsync(ServiceController.NodeSyncKey, CancellationToken.None);

        Assert.Equal(Key, await _controller.TakeAsync());
    }

    [Fact]
    public async Task SyncAsync_ExcludedNode_IsNotGivenToTheBalancer()
    {
        _nodes.Add(NodeObject("node-a"), NodeObject("node-b", labels: new() { [LoadBalancerNodes.ExcludeLabel] = "" }));
        _services.Add(ServiceObject());

        await _controller.SyncAsync(Key, CancellationToken.None);

        Assert.Equal(["Ensure ns-1/hello node-a"], _balancer.Calls);
    }

    private List<(string Type, string Reason, string Message)> Events() => [.. _events.Events.Select(e => (e.Type, e.Reason, e.Message))];
}
