using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>NamespaceLifecycle: no content in a namespace that does not exist or is being terminated.</summary>
public sealed class NamespaceLifecycleAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_InMissingNamespace_NotFound()
    {
        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("configmaps", "nowhere", Named("c")));

        Assert.Equal(404, refused.Code);
        Assert.Equal("namespaces \"nowhere\" not found", refused.Message);
    }

    [Fact]
    public async Task Create_InvalidObjectInMissingNamespace_NotFoundBeforeValidation()
    {
        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("configmaps", "nowhere", Named("Not_A_Name")));

        Assert.Equal(404, refused.Code);
    }

    [Fact]
    public async Task Create_InTerminatingNamespace_ForbiddenWithTheTerminatingCause()
    {
        var namespaces = _harness.Store("", "namespaces");
        await namespaces.CreateAsync(null, Named("leaving"), dryRun: false, CancellationToken.None);
        await _harness.CreateAsync("configmaps", "leaving", Named("keep"));
        await namespaces.DeleteAsync(null, "leaving", new DeleteOptions(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StatusException>(() => _harness.CreateAsync("configmaps", "leaving", Named("c")));

        Assert.Equal(403, refused.Code);
        Assert.Equal("configmaps \"c\" is forbidden: unable to create new content in namespace leaving because it is being terminated", refused.Message);
        Assert.Equal(("NamespaceTerminating", "namespace leaving is being terminated", "metadata.namespace"), (refused.Causes[0].Reason, refused.Causes[0].Message, refused.Causes[0].Field));
    }

    [Fact]
    public async Task Update_InTerminatingNamespace_Allowed()
    {
        var namespaces = _harness.Store("", "namespaces");
        await namespaces.CreateAsync(null, Named("leaving"), dryRun: false, CancellationToken.None);
        await _harness.CreateAsync("configmaps", "leaving", Named("keep"));
        await namespaces.DeleteAsync(null, "leaving", new DeleteOptions(), CancellationToken.None);
        var configMaps = _harness.Store("", "configmaps");

        var updated = await configMaps.GuaranteedUpdateAsync("leaving", "keep", c => { c["data"] = new JsonObject { ["a"] = "b" }; return c; }, configMaps.Definition.Strategy, dryRun: false, CancellationToken.None);

        Assert.Equal("\"b\"", JsonPath.Json(updated, "data/a"));
    }

    [Fact]
    public async Task Create_ClusterScopedObject_NeedsNoNamespace()
    {
        var created = await _harness.CreateAsync("namespaces", null, Named("fresh"));

        Assert.Equal("fresh", created.Name());
    }
}
