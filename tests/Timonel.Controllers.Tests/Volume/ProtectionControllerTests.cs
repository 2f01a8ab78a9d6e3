using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Controllers.Volume;
using Timonel.Testing.Api;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Volume;

public sealed class ProtectionControllerTests : IDisposable
{
    private readonly FakeApiServer _api = new();
    private readonly FakeTimeProvider _time = new();
    private readonly TestInformer<V1PersistentVolumeClaim> _claims = new();
    private readonly TestInformer<V1PersistentVolume> _volumes = new();
    private readonly TestInformer<V1Pod> _pods = new();
    private readonly PvcProtectionController _pvc;
    private readonly PvProtectionController _pv;

    public ProtectionControllerTests()
    {
        _pvc = new(_api.Client, _claims.Informer, _pods.Informer, _time, NullLogger<PvcProtectionController>.Instance);
        _pv = new(_api.Client, _volumes.Informer, _time, NullLogger<PvProtectionController>.Instance);
    }

    public void Dispose()
    {
        _pvc.Dispose();
        _pv.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task PvcSyncAsync_DeletedClaimARunningPodUses_KeepsTheFinalizer()
    {
        _claims.Add(DeletingClaim());
        _pods.Add(PodUsing("data", "Running"));

        await _pvc.SyncAsync("ns-1/data", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task PvcSyncAsync_DeletedClaimOnlyAFinishedPodUsed_RemovesTheFinalizer()
    {
        _claims.Add(DeletingClaim());
        _pods.Add(PodUsing("data", "Succeeded"));

        await _pvc.SyncAsync("ns-1/data", CancellationToken.None);

        var call = Assert.Single(_api.Requests);
        Assert.Equal("PATCH /api/v1/namespaces/ns-1/persistentvolumeclaims/data", call.ToString());
        Assert.Contains("\"finalizers\":[\"example.com/other\"]", call.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PvcSyncAsync_ClaimWithoutFinalizer_GetsIt()
    {
        _claims.Add(new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns-1" } });

        await _pvc.SyncAsync("ns-1/data", CancellationToken.None);

        Assert.Contains("\"finalizers\":[\"kubernetes.io/pvc-protection\"]", Assert.Single(_api.Requests).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bound", false)]
    [InlineData("Released", true)]
    public async Task PvSyncAsync_DeletedVolume_LosesTheFinalizerOnlyOnceUnbound(string phase, bool removed)
    {
        _volumes.Add(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pv-1", DeletionTimestamp = DateTime.UtcNow, Finalizers = [Finalizers.PvProtection] },
            Status = new V1PersistentVolumeStatus { Phase = phase },
        });

        await _pv.SyncAsync("pv-1", CancellationToken.None);

        Assert.Equal(removed ? ["PATCH /api/v1/persistentvolumes/pv-1"] : [], _api.Calls);
    }

    private static V1PersistentVolumeClaim DeletingClaim() => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns-1", DeletionTimestamp = DateTime.UtcNow, Finalizers = [Finalizers.PvcProtection, "example.com/other"] },
    };

    private static V1Pod PodUsing(string claim, string phase) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns-1" },
        Spec = new V1PodSpec { NodeName = "node-1", Volumes = [new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }] },
        Status = new V1PodStatus { Phase = phase },
    };
}
