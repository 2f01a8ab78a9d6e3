using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Auth;
using Timonel.ApiServer.Tests.Auth;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>The built-in stores behind the server's full admission chain (<see cref="AdmissionChain.Default"/>).</summary>
internal static class AdmissionHarness
{
    public static async Task<StoreHarness> StartAsync()
    {
        var harness = await StoreHarness.StartAsync();
        harness.Registry.Admission = AdmissionChain.Default(new AdmissionServices(harness.Registry, new FixedAuthorizer(AuthorizationDecision.Allow), TimeProvider.System));
        return harness;
    }

    public static Task<JsonObject> CreateAsync(this StoreHarness harness, string plural, string? ns, JsonObject obj, string group = "") =>
        harness.Store(group, plural).CreateAsync(ns, obj, dryRun: false, CancellationToken.None);

    public static JsonObject Pod(string name, JsonObject? spec = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec ?? new JsonObject { ["containers"] = new JsonArray(Container("c")) },
    };

    public static JsonObject Container(string name) => new() { ["name"] = name, ["image"] = "nginx" };

    public static JsonObject Named(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };
}
