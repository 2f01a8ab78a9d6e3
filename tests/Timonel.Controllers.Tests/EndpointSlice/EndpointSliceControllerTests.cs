using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.EndpointSlice;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.Endpoints.ServiceObjects;

namespace Timonel.Controllers.Tests.EndpointSlice;

public sealed class EndpointSliceControllerTests : IDisposable
{
    private const string Collection = "/apis/discovery.k8s.io/v1/namespaces/ns-1/endpointslices";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Service> _services = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly TestInformer<V1EndpointSlice> _slices = new();
    private readonly EndpointSliceController _controller;

    public EndpointSliceControllerTests() =>
        _controller = new(_api.Client, _services.Informer, _pods.Informer, _slices.Informer, new FakeTimeProvider(), NullLogger<EndpointSliceController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_SelectedPods_CreatesOneSliceOwnedByTheService()
    {
        _services.Add(Service());
        var terminating = Pod("t", "10.42.0.4");
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;
        _pods.Add(Pod("a", "10.42.0.1"), Pod("b", "10.42.0.2", ready: false), terminating, Pod("none", null));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"POST {Collection}"], _api.Calls);
        var slice = _api.Requests[0].BodyAs<V1EndpointSlice>();
        Assert.Equal("web-", slice.Metadata.GenerateName);
        Assert.Equal("web", slice.Metadata.Labels["kubernetes.io/service-name"]);
        Assert.Equal("endpointslice-controller.k8s.io", slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("Service", "web", "uid-web", true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(["10.42.0.1", "10.42.0.2", "10.42.0.4"], slice.Endpoints.Select(e => e.Addresses.Single()));
        Assert.Equal(
            [(true, true, false), (false, false, false), (false, true, true)],
            slice.Endpoints.Select(e => (e.Conditions.Ready == true, e.Conditions.Serving == true, e.Conditions.Terminating == true)));
        Assert.Equal(("node-1", "a"), (slice.Endpoints[0].NodeName, slice.Endpoints[0].TargetRef.Name));
        Assert.Equal(("http", 8080), (slice.Ports.Single().Name, slice.Ports.Single().Port));
    }

    [Fact]
    public async Task SyncAsync_MoreThanAHundredEndpoints_SplitsThemAcrossSlices()
    {
        _services.Add(Service());
        _pods.Add(Enumerable.Range(1, 150).Select(i => Pod($"p{i}", $"10.42.{i / 100}.{i % 100}")));

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"POST {Collection}", $"POST {Collection}"], _api.Calls);
        Assert.Equal([100, 50], _api.Requests.Select(r => r.BodyAs<V1EndpointSlice>().Endpoints.Count));
    }

    [Fact]
    public async Task SyncAsync_ExistingSliceUpToDateOrStale_LeftAloneOrUpdatedInPlace()
    {
        var service = Service();
        _services.Add(service);
        _pods.Add(Pod("a", "10.42.0.1"));
        var (ports, endpoints) = EndpointSliceController.Desired(service, _pods.Informer.Cache.List()).Single();
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-abcde", NamespaceProperty = "ns-1", ResourceVersion = "5", Labels = EndpointSliceController.Labels(service) },
            AddressType = "IPv4",
            Endpoints = endpoints,
            Ports = ports,
        };
        _slices.Add(slice);

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);
        Assert.Empty(_api.Calls);

        _pods.Add(Pod("b", "10.42.0.2"));
        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"PUT {Collection}/web-abcde"], _api.Calls);
        var updated = _api.Requests[0].BodyAs<V1EndpointSlice>();
        Assert.Equal("5", updated.Metadata.ResourceVersion);
        Assert.Equal(["10.42.0.1", "10.42.0.2"], updated.Endpoints.Select(e => e.Addresses.Single()));
    }

    [Fact]
    public async Task SyncAsync_CreatedSliceNotYetInTheCache_WaitsInsteadOfCreatingAnother()
    {
        _services.Add(Service());
        _pods.Add(Pod("a", "10.42.0.1"));
        _api.Answer(HttpMethod.Post, Collection, System.Net.HttpStatusCode.Created, new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta { Name = "web-abcde", NamespaceProperty = "ns-1" },
            AddressType = "IPv4",
        });

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);
        var again = await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        Assert.Equal([$"POST {Collection}"], _api.Calls);
        Assert.NotNull(again.RequeueAfter);
    }

    [Fact]
    public async Task SyncAsync_NoPods_CreatesOneEmptySlice()
    {
        _services.Add(Service());

        await _controller.SyncAsync("ns-1/web", CancellationToken.None);

        var slice = _api.Requests.Single().BodyAs<V1EndpointSlice>();
        Assert.Empty(slice.Endpoints ?? []);
    }

    [Fact]
    public async Task SyncAsync_ServiceWithoutSelector_CallsNothing()
    {
        var external = Service("external");
        external.Spec.Selector = null;
        _services.Add(external);
        _pods.Add(Pod("a", "10.42.0.1"));

        await _controller.SyncAsync("ns-1/external", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }
}
