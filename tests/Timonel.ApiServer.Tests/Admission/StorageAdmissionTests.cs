using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;
using static Timonel.ApiServer.Tests.Admission.AdmissionHarness;

namespace Timonel.ApiServer.Tests.Admission;

/// <summary>DefaultStorageClass on new claims and PersistentVolumeClaimResize on growing ones.</summary>
public sealed class StorageAdmissionTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AdmissionHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_ClaimWithoutClass_GetsTheDefaultClass()
    {
        await StorageClassAsync("plain", isDefault: false);
        await StorageClassAsync("standard", isDefault: true);

        var claim = await _harness.CreateAsync("persistentvolumeclaims", "default", LimitRangerAdmissionTests.Claim("data", "1Gi"));

        Assert.Equal("\"standard\"", JsonPath.Json(claim, "spec/storageClassName"));
    }

    [Fact]
    public async Task Create_TwoDefaultsOfTheSameSecond_TheFirstByName()
    {
        await StorageClassAsync("b-default", isDefault: true);
        await StorageClassAsync("a-default", isDefault: true);

        var claim = await _harness.CreateAsync("persistentvolumeclaims", "default", LimitRangerAdmissionTests.Claim("data", "1Gi"));

        Assert.Equal("\"a-default\"", JsonPath.Json(claim, "spec/storageClassName"));
    }

    [Fact]
    public async Task Create_ClaimAsksForNoClass_Kept()
    {
        await StorageClassAsync("standard", isDefault: true);
        var asked = LimitRangerAdmissionTests.Claim("data", "1Gi");
        asked["spec"]!["storageClassName"] = "";

        var claim = await _harness.CreateAsync("persistentvolumeclaims", "default", asked);

        Assert.Equal("\"\"", JsonPath.Json(claim, "spec/storageClassName"));
    }

    [Fact]
    public async Task Create_NoDefaultClass_ClaimLeftWithoutOne()
    {
        await StorageClassAsync("plain", isDefault: false);

        var claim = await _harness.CreateAsync("persistentvolumeclaims", "default", LimitRangerAdmissionTests.Claim("data", "1Gi"));

        Assert.Equal("missing", JsonPath.Json(claim, "spec/storageClassName"));
    }

    [Theory]
    [InlineData(true, "Bound", null)]
    [InlineData(false, "Bound", "persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize")]
    public async Task Update_GrowingAClaim_OnlyBoundAndWhenTheClassAllowsExpansion(bool allowExpansion, string phase, string? refusal)
    {
        await StorageClassAsync("standard", isDefault: true, allowExpansion);
        await _harness.CreateAsync("persistentvolumeclaims", "default", LimitRangerAdmissionTests.Claim("data", "1Gi"));
        var claims = _harness.Store("", "persistentvolumeclaims");
        await claims.GuaranteedUpdateAsync("default", "data", c => { c["status"] = new JsonObject { ["phase"] = phase }; return c; }, new StatusStrategy(claims.Definition.Strategy), dryRun: false, CancellationToken.None);

        var grow = () => claims.GuaranteedUpdateAsync("default", "data", c => { c["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"; return c; }, claims.Definition.Strategy, dryRun: false, CancellationToken.None);

        if (refusal is null)
        {
            Assert.Equal("\"2Gi\"", JsonPath.Json(await grow(), "spec/resources/requests/storage"));
        }
        else
        {
            Assert.Equal(refusal, (await Assert.ThrowsAsync<StatusException>(grow)).Message);
        }
    }

    private Task<JsonObject> StorageClassAsync(string name, bool isDefault, bool allowExpansion = false)
    {
        var storageClass = Named(name);
        if (isDefault)
        {
            storageClass["metadata"]!["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        }

        storageClass["provisioner"] = "rancher.io/local-path";
        storageClass["allowVolumeExpansion"] = allowExpansion;
        return _harness.CreateAsync("storageclasses", null, storageClass, "storage.k8s.io");
    }
}
