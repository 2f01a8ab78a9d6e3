using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>
/// Where the store calls admission: on create and update after defaults and before the strategy prepares the object,
/// validating admission after validation and before storage; on delete before the object is read and on the stored one.
/// </summary>
public sealed class StoreAdmissionTests : IAsyncLifetime
{
    private readonly List<string> _log = [];
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_MutatingPlugin_SeesDefaultsButNotPreparedStatus()
    {
        var plugin = new RecordingPlugin("p", _log);
        var pods = StoreWith(plugin);

        await pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);

        Assert.Equal(["p:Mutate:Create", "p:Validate:Create"], _log);
        // Defaults are applied before mutating admission; PrepareForCreate (Pending, QoS class) after it.
        Assert.Equal("\"Always\"", JsonPath.Json(plugin.Seen[0]!, "spec/restartPolicy"));
        Assert.Equal("missing", JsonPath.Json(plugin.Seen[0]!, "status"));
        Assert.Equal("\"Pending\"", JsonPath.Json(plugin.Seen[1]!, "status/phase"));
    }

    [Fact]
    public async Task Create_DuringARequest_PluginsSeeTheRequestingUser()
    {
        var plugin = new RecordingPlugin("p", _log);
        var pods = StoreWith(plugin);

        using (RequestUser.Begin(UserInfo.Authenticated("jane", ["dev"])))
        {
            await pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);
        }

        await pods.CreateAsync("default", Pod("internal"), dryRun: false, CancellationToken.None);

        // The server's own writes carry no user.
        Assert.Equal(["jane", "jane", null, null], plugin.SeenUsers);
    }

    [Fact]
    public async Task Create_ValidatingPluginRefuses_NothingStored()
    {
        var pods = StoreWith(new RecordingPlugin("p", _log) { RefuseValidation = true });

        var refused = await Assert.ThrowsAsync<StatusException>(() => pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None));
        var read = await Assert.ThrowsAsync<StatusException>(() => pods.GetAsync("default", "web", CancellationToken.None));

        Assert.Equal("refused by p", refused.Message);
        Assert.Equal(404, read.Code);
    }

    [Fact]
    public async Task Update_Plugin_SeesNewAndStoredObjects()
    {
        var plugin = new RecordingPlugin("p", _log, null, AdmissionOperation.Update);
        var pods = StoreWith(plugin);
        await pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);

        await pods.GuaranteedUpdateAsync("default", "web", pod =>
        {
            pod.Metadata()["labels"] = new JsonObject { ["tier"] = "front" };
            return pod;
        }, pods.Definition.Strategy, dryRun: false, CancellationToken.None);

        Assert.Equal(["p:Mutate:Update", "p:Validate:Update"], _log);
        Assert.Equal("\"front\"", JsonPath.Json(plugin.Seen[0]!, "metadata/labels/tier"));
        Assert.Equal("missing", JsonPath.Json(plugin.SeenOld[0]!, "metadata/labels"));
    }

    [Fact]
    public async Task Delete_Plugins_MutatingBeforeReadValidatingOnStoredObject()
    {
        var plugin = new RecordingPlugin("p", _log, null, AdmissionOperation.Delete);
        var pods = StoreWith(plugin);
        await pods.CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);

        await pods.DeleteAsync("default", "web", new DeleteOptions(), CancellationToken.None);

        Assert.Equal(["p:Mutate:Delete", "p:Validate:Delete"], _log);
        Assert.Null(plugin.SeenOld[0]);
        Assert.Equal("\"web\"", JsonPath.Json(plugin.SeenOld[1]!, "metadata/name"));
    }

    [Fact]
    public async Task Create_BuiltInChain_PodGetsServiceAccountPriorityAndTolerations()
    {
        var created = await _harness.Store("", "pods").CreateAsync("default", Pod("web"), dryRun: false, CancellationToken.None);

        Assert.Equal("\"default\"", JsonPath.Json(created, "spec/serviceAccountName"));
        Assert.Equal("0", JsonPath.Json(created, "spec/priority"));
        Assert.Equal(2, JsonPath.Get(created, "spec/tolerations")!.AsArray().Count);
    }

    private GenericStore StoreWith(IAdmissionPlugin plugin)
    {
        var definition = _harness.Store("", "pods").Definition;
        return new GenericStore(definition, _harness.Storage, _harness.Cache, TimeProvider.System, admission: new AdmissionChain([plugin]));
    }

    private static JsonObject Pod(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) },
    };
}
