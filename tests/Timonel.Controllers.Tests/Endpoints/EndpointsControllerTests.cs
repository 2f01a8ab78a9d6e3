using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Endpoints;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.Endpoints.ServiceObjects;

namespace Timonel.Controllers.Tests.Endpoints;

public sealed class EndpointsControllerTests : IDisposable
{
    private const string Collection = "/api/v1/namespaces/ns-1/endpoints";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Service> _services = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1Endpoints> _endpoints = new();
    private readonly EndpointsController _controller;

    public EndpointsControllerTests() =>
        _controller = new(_api.Client, _services.Informer, _pods.Informer, _endpoints.Informer, new FakeTimeProvider(), NullLogger<EndpointsController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ReadyAndNotReadyPods_CreatesEndpointsWithBothAddressLists()
    {
        _services.Add(Service());
        _pods.Add(Pod("b", "10.42.0.2"), Pod("a", "10.42.0.1", node: "node-2"), Pod("c", "10.42.0.3", ready: false), Pod("other", "10.42.0.9", app: "other"));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"POST {Collection}"], _api.Calls);
        var endpoints = _api.Requests[0].BodyAs<V1Endpoints>();
        Assert.Equal("web", endpoints.Metadata.Name);
        Assert.Equal("front", endpoints.Metadata.Labels["tier"]);
        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal(["10.42.0.1", "10.42.0.2"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal("node-2", subset.Addresses[0].NodeName);
        Assert.Equal(("Pod", "ns-1", "a", "uid-a"), (subset.Addresses[0].TargetRef.Kind, subset.Addresses[0].TargetRef.NamespaceProperty, subset.Addresses[0].TargetRef.Name, subset.Addresses[0].TargetRef.Uid));
        Assert.Equal(["10.42.0.3"], subset.NotReadyAddresses.Select(a => a.Ip));
        var port = Assert.Single(subset.Ports);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));
    }

    [Fact]
    public async Task SyncAsync_PodsWithoutIpTerminatingOrFinished_AreLeftOut()
    {
        _services.Add(Service());
        var terminating = Pod("terminating", "10.42.0.2");
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;
        var finished = Pod("finished", "10.42.0.3");
        finished.Status.Phase = "Succeeded";
        _pods.Add(Pod("pending", null), terminating, finished, Pod("running", "10.42.0.4"));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        var subset = Assert.Single(_api.Requests[0].BodyAs<V1Endpoints>().Subsets);
        Assert.Equal(["10.42.0.4"], subset.Addresses.Select(a => a.Ip));
        Assert.Null(subset.NotReadyAddresses);
    }

    [Fact]
    public async Task SyncAsync_NamedTargetPort_ResolvedPerPodAndPodsWithoutItLeftOut()
    {
        _services.Add(Service(ports: new V1ServicePort { Name = "web", Port = 80, TargetPort = "http", Protocol = "TCP" }));
        _pods.Add(
            Pod("a", "10.42.0.1", ports: new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }),
            Pod("b", "10.42.0.2", ports: new V1ContainerPort { Name = "http", ContainerPort = 9090, Protocol = "TCP" }),
            Pod("c", "10.42.0.3", ports: new V1ContainerPort { Name = "metrics", ContainerPort = 9100, Protocol = "TCP" }));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        var subsets = _api.Requests[0].BodyAs<V1Endpoints>().Subsets;
        Assert.Equal(2, subsets.Count);
        Assert.Contains(subsets, s => s.Addresses.Single().Ip == "10.42.0.1" && s.Ports.Single().Port == 8080);
        Assert.Contains(subsets, s => s.Addresses.Single().Ip == "10.42.0.2" && s.Ports.Single().Port == 9090);
    }

    [Fact]
    public async Task SyncAsync_ServiceWithoutSelectorOrTheKubernetesService_CallsNothing()
    {
        var kubernetes = Service("kubernetes");
        kubernetes.Metadata.NamespaceProperty = "default";
        var external = Service("external");
        external.Spec.Selector = null;
        _services.Add(kubernetes, external);
        _pods.Add(Pod("a", "10.42.0.1"));

        await _controller.SyncAsync("default/kubernetes", CancellationToken.None);
        await _controller.SyncAsync("ns-1/external", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_EndpointsAlreadyUpToDate_CallsNothing()
    {
        var service = Service();
        _services.Add(service);
        _pods.Add(Pod("a", "10.42.0.1"), Pod("b", "10.42.0.2", ready: false));
        _endpoints.Add(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1", ResourceVersion = "7", Labels = EndpointsController.Labels(service) },
            Subsets = EndpointsController.Subsets(service, _pods.Informer.Cache.List()),
        });

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_PodBecameReady_ReplacesTheEndpointsAtItsResourceVersion()
    {
        var service = Service();
        _services.Add(service);
        _endpoints.Add(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1", ResourceVersion = "7", Labels = EndpointsController.Labels(service) },
            Subsets = EndpointsController.Subsets(service, [Pod("a", "10.42.0.1", ready: false)]),
        });
        _pods.Add(Pod("a", "10.42.0.1"));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"PUT {Collection}/web"], _api.Calls);
        var endpoints = _api.Requests[0].BodyAs<V1Endpoints>();
        Assert.Equal("7", endpoints.Metadata.ResourceVersion);
        Assert.Equal(["10.42.0.1"], endpoints.Subsets.Single().Addresses.Select(a => a.Ip));
    }

    [Fact]
    public async Task SyncAsync_ServiceDeleted_DeletesItsEndpoints()
    {
        _endpoints.Add(new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1" } });

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"DELETE {Collection}/web"], _api.Calls);
    }

    [Fact]
    public async Task Handlers_SelectedPodAdded_QueuesItsService()
    {
        _services.Add(Service("web"), Service("api", new Dictionary<string, string> { ["app"] = "api" }));
        await _controller.TakeAsync();
        await _controller.TakeAsync();

        _pods.Add(Pod("a", "10.42.0.1", app: "api"));

        Assert.Equal("ns-1/api", await _controller.TakeAsync());
        Assert.Equal(0, _controller.Queue.Len);
    }
}
