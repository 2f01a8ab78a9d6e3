using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.ServiceAccount;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;
using static Timonel.Controllers.Tests.TestObjects;

namespace Timonel.Controllers.Tests.ServiceAccount;

public sealed class ServiceAccountsControllerTests : IDisposable
{
    private const string Accounts = "/api/v1/namespaces/ns-1/serviceaccounts";
    private readonly FakeApiServer _api = new();
    private readonly TestInformer<V1Namespace> _namespaces = new();
    private readonly TestInformer<V1ServiceAccount> _accounts = new();
    private readonly ServiceAccountsController _controller;

    public ServiceAccountsControllerTests() =>
        _controller = new(_api.Client, _namespaces.Informer, _accounts.Informer, new FakeTimeProvider(), NullLogger<ServiceAccountsController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ActiveNamespaceWithoutDefault_CreatesIt()
    {
        _namespaces.Add(NamespaceObject("ns-1", "Active"));

        var result = await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Equal([$"POST {Accounts}"], _api.Calls);
        Assert.Equal("default", _api.Requests[0].BodyAs<V1ServiceAccount>().Metadata.Name);
    }

    [Theory]
    [InlineData("Active", true)]
    [InlineData("Terminating", false)]
    [InlineData(null, false)]
    public async Task SyncAsync_NothingToCreate_CallsNothing(string? phase, bool hasDefault)
    {
        if (phase is not null)
        {
            _namespaces.Add(NamespaceObject("ns-1", phase));
        }

        if (hasDefault)
        {
            _accounts.Add(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "ns-1" } });
        }

        var result = await _controller.SyncAsync("ns-1", CancellationToken.None);

        Assert.Equal(SyncResult.Done, result);
        Assert.Empty(_api.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "AlreadyExists")]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden")]
    public async Task SyncAsync_CreateRefusedBecauseItExistsOrTheNamespaceTerminates_Done(HttpStatusCode status, string reason)
    {
        _namespaces.Add(NamespaceObject("ns-1", "Active"));
        _api.Fail(HttpMethod.Post, Accounts, status, reason);

        Assert.Equal(SyncResult.Done, await _controller.SyncAsync("ns-1", CancellationToken.None));
    }

    [Fact]
    public async Task SyncAsync_ServerFails_ThrowsSoTheKeyIsRetried()
    {
        _namespaces.Add(NamespaceObject("ns-1", "Active"));
        _api.Fail(HttpMethod.Post, Accounts, HttpStatusCode.InternalServerError, "InternalError");

        await Assert.ThrowsAnyAsync<Exception>(() => _controller.SyncAsync("ns-1", CancellationToken.None));
    }

    [Fact]
    public async Task Handlers_NamespaceAddedOrDefaultAccountDeleted_QueueTheNamespace()
    {
        var account = new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default", NamespaceProperty = "ns-2" } };
        _accounts.Add(account);

        _namespaces.Add(NamespaceObject("ns-1", "Active"));
        _accounts.Delete(account);

        Assert.Equal("ns-1", await _controller.TakeAsync());
        Assert.Equal("ns-2", await _controller.TakeAsync());
    }
}
