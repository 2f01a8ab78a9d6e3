using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Volumes;
using Timonel.Controllers.Volume;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Volume;

public sealed class PersistentVolumeControllerTests : IDisposable
{
    private const string ClaimPath = "/api/v1/namespaces/ns-1/persistentvolumeclaims/data";
    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly TestInformer<V1PersistentVolume> _volumes = new();
    private readonly TestInformer<V1PersistentVolumeClaim> _claims = new();
    private readonly TestInformer<V1StorageClass> _classes = new();
    private readonly RecordingProvisioner _provisioner = new();
    private readonly PersistentVolumeController _controller;

    public PersistentVolumeControllerTests() =>
        _controller = new(
            _api.Client,
            _volumes.Informer,
            _claims.Informer,
            _classes.Informer,
            new Dictionary<string, IVolumeProvisioner> { ["test.timonel.io/provisioner"] = _provisioner },
            _events,
            _time,
            NullLogger<PersistentVolumeController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ClaimAndAvailableVolumes_BindsTheSmallestThatFits()
    {
        _volumes.Add(Volume("small", "1Gi"), Volume("big", "10Gi"), Volume("right", "5Gi"));
        _claims.Add(Claim("2Gi"));

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Equal(
            ["PUT /api/v1/persistentvolumes/right", "PUT /api/v1/persistentvolumes/right/status", $"PUT {ClaimPath}", $"PUT {ClaimPath}/status"],
            _api.Calls);
        var volume = _api.Requests[0].BodyAs<V1PersistentVolume>();
        Assert.Equal(("ns-1", "data", "uid-data"), (volume.Spec.ClaimRef.NamespaceProperty, volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Uid));
        Assert.Equal("yes", volume.Metadata.Annotations[PersistentVolumes.AnnBoundByController]);
        Assert.Equal("Bound", _api.Requests[1].BodyAs<V1PersistentVolume>().Status.Phase);
        var claim = _api.Requests[2].BodyAs<V1PersistentVolumeClaim>();
        Assert.Equal("right", claim.Spec.VolumeName);
        Assert.Equal("yes", claim.Metadata.Annotations[PersistentVolumes.AnnBindCompleted]);
        Assert.Equal("yes", claim.Metadata.Annotations[PersistentVolumes.AnnBoundByController]);
        var status = _api.Requests[3].BodyAs<V1PersistentVolumeClaim>().Status;
        Assert.Equal(("Bound", "5Gi", "ReadWriteOnce"), (status.Phase, status.Capacity["storage"].ToString(), Assert.Single(status.AccessModes)));
    }

    [Fact]
    public async Task SyncAsync_VolumePreBoundByUser_BindsWithoutTheControllerAnnotationOnTheVolume()
    {
        var volume = Volume("mine", "1Gi");
        volume.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns-1", Name = "data" };
        _volumes.Add(volume, Volume("other", "1Gi"));
        _claims.Add(Claim("1Gi"));

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        var written = _api.Requests[0].BodyAs<V1PersistentVolume>();
        Assert.Equal(("mine", "uid-data"), (written.Metadata.Name, written.Spec.ClaimRef.Uid));
        Assert.False(PersistentVolumes.HasAnnotation(written.Metadata, PersistentVolumes.AnnBoundByController));
    }

    [Fact]
    public async Task SyncAsync_NoVolumeAndNoClass_ReportsFailedBinding()
    {
        _volumes.Add(Volume("wrong-mode", "5Gi", mode: "ReadOnlyMany"));
        _claims.Add(Claim("1Gi"));

        var result = await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Equal(SyncResult.Requeue(PersistentVolumeController.ResyncPeriod), result);
        var ev = Assert.Single(_events.Events);
        Assert.Equal(("Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set"), (ev.Type, ev.Reason, ev.Message));
    }

    [Fact]
    public async Task SyncAsync_WaitForFirstConsumerWithoutNode_WaitsEvenWithAMatchingVolume()
    {
        _classes.Add(Class("local", "test.timonel.io/provisioner", PersistentVolumes.WaitForFirstConsumer));
        _volumes.Add(Volume("local-1", "5Gi", storageClass: "local"));
        _claims.Add(Claim("1Gi", storageClass: "local"));

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Empty(_provisioner.Provisioned);
        var ev = Assert.Single(_events.Events);
        Assert.Equal(("Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding"), (ev.Type, ev.Reason, ev.Message));
    }

    [Fact]
    public async Task SyncAsync_SelectedNodeAndRegisteredProvisioner_CreatesAVolumePreBoundToTheClaim()
    {
        _classes.Add(Class("local", "test.timonel.io/provisioner", PersistentVolumes.WaitForFirstConsumer));
        var claim = Claim("3Gi", storageClass: "local");
        claim.Metadata.Annotations = new Dictionary<string, string> { [PersistentVolumes.AnnSelectedNode] = "node-2" };
        _claims.Add(claim);

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Equal([$"PUT {ClaimPath}", "POST /api/v1/persistentvolumes"], _api.Calls);
        var annotated = _api.Requests[0].BodyAs<V1PersistentVolumeClaim>().Metadata.Annotations;
        Assert.Equal("test.timonel.io/provisioner", annotated[PersistentVolumes.AnnStorageProvisioner]);
        Assert.Equal("test.timonel.io/provisioner", annotated[PersistentVolumes.AnnBetaStorageProvisioner]);
        Assert.Equal([("data", (string?)"node-2")], _provisioner.Provisioned);
        var volume = _api.Requests[1].BodyAs<V1PersistentVolume>();
        Assert.Equal("pvc-uid-data", volume.Metadata.Name);
        Assert.Equal("test.timonel.io/provisioner", volume.Metadata.Annotations[PersistentVolumes.AnnDynamicallyProvisioned]);
        Assert.Equal(("data", "uid-data", "Delete", "local"), (volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Uid, volume.Spec.PersistentVolumeReclaimPolicy, volume.Spec.StorageClassName));
        Assert.Equal("3Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal(
            ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"],
            _events.Events.Select(e => e.Reason).Where(r => r.StartsWith("Provisioning", StringComparison.Ordinal) || r == "ExternalProvisioning"));
        Assert.Contains(_events.Events, e => e.Reason == "Provisioning" && e.Message == "External provisioner is provisioning volume for claim \"ns-1/data\"");
        Assert.Contains(_events.Events, e => e.Reason == "ProvisioningSucceeded" && e.Message == "Successfully provisioned volume pvc-uid-data");
    }

    [Fact]
    public async Task SyncAsync_ClassOfAnUnknownProvisioner_AnnotatesTheClaimAndWaitsForIt()
    {
        _classes.Add(Class("csi", "csi.example.com", "Immediate"));
        _claims.Add(Claim("1Gi", storageClass: "csi"));

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Equal([$"PUT {ClaimPath}"], _api.Calls);
        Assert.Equal("csi.example.com", _api.Requests[0].BodyAs<V1PersistentVolumeClaim>().Metadata.Annotations[PersistentVolumes.AnnStorageProvisioner]);
        var ev = Assert.Single(_events.Events);
        Assert.Equal(
            ("ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner 'csi.example.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
            (ev.Reason, ev.Message));
    }

    [Fact]
    public async Task SyncAsync_RetainedVolumeWhoseClaimIsGone_IsReleasedAndKept()
    {
        _volumes.Add(BoundVolume("Retain", provisionedBy: null));

        await _controller.SyncAsync(PersistentVolumeController.VolumeKey("pv-1"), CancellationToken.None);

        Assert.Equal(["GET " + ClaimPath, "PUT /api/v1/persistentvolumes/pv-1/status"], _api.Calls);
        Assert.Equal("Released", _api.Requests[1].BodyAs<V1PersistentVolume>().Status.Phase);
    }

    [Fact]
    public async Task SyncAsync_ProvisionedDeleteVolumeWhoseClaimIsGone_IsDeletedWithItsStorage()
    {
        var volume = BoundVolume("Delete", provisionedBy: "test.timonel.io/provisioner");
        _volumes.Add(volume);
        _api.Answer(HttpMethod.Delete, "/api/v1/persistentvolumes/pv-1", System.Net.HttpStatusCode.OK, volume);

        await _controller.SyncAsync(PersistentVolumeController.VolumeKey("pv-1"), CancellationToken.None);

        Assert.Equal(["pv-1"], _provisioner.Deleted);
        Assert.Equal("DELETE /api/v1/persistentvolumes/pv-1", _api.Calls[^1]);
    }

    [Fact]
    public async Task SyncAsync_StorageCannotBeRemoved_VolumeFailedDeleteAndPhaseFailedWithTheReason_VolumeKept()
    {
        const string reason = "helper pod kube-system/helper-pod-delete-pv-1 failed on node node-b for /var/lib/test/x: exit code 1";
        _volumes.Add(BoundVolume("Delete", provisionedBy: "test.timonel.io/provisioner"));
        _provisioner.DeleteFailure = reason;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _controller.SyncAsync(PersistentVolumeController.VolumeKey("pv-1"), CancellationToken.None));

        var failed = _api.Requests[^1].BodyAs<V1PersistentVolume>();
        Assert.Equal("PUT /api/v1/persistentvolumes/pv-1/status", _api.Calls[^1]);
        Assert.Equal(("Failed", reason), (failed.Status.Phase, failed.Status.Message));
        Assert.DoesNotContain("DELETE /api/v1/persistentvolumes/pv-1", _api.Calls);
        Assert.Contains(_events.Events, e => e.Reason == "VolumeFailedDelete" && e.Message == reason);
    }

    [Fact]
    public async Task SyncAsync_BoundClaimWhoseVolumeIsGone_IsLost()
    {
        var claim = Claim("1Gi");
        claim.Spec.VolumeName = "pv-1";
        claim.Metadata.Annotations = new Dictionary<string, string> { [PersistentVolumes.AnnBindCompleted] = "yes" };
        claim.Status.Phase = "Bound";
        _claims.Add(claim);

        await _controller.SyncAsync(PersistentVolumeController.ClaimKey("ns-1", "data"), CancellationToken.None);

        Assert.Equal("Lost", _api.Requests.Single().BodyAs<V1PersistentVolumeClaim>().Status.Phase);
        var ev = Assert.Single(_events.Events);
        Assert.Equal(("Warning", "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!"), (ev.Type, ev.Reason, ev.Message));
    }

    [Fact]
    public async Task SyncAsync_NewVolume_BecomesAvailable()
    {
        var volume = Volume("pv-1", "1Gi");
        volume.Status.Phase = "Pending";
        _volumes.Add(volume);

        await _controller.SyncAsync(PersistentVolumeController.VolumeKey("pv-1"), CancellationToken.None);

        Assert.Equal("Available", _api.Requests.Single().BodyAs<V1PersistentVolume>().Status.Phase);
    }

    private static V1PersistentVolume Volume(string name, string size, string mode = "ReadWriteOnce", string? storageClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1" },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            AccessModes = [mode],
            StorageClassName = storageClass,
            PersistentVolumeReclaimPolicy = "Retain",
            HostPath = new V1HostPathVolumeSource { Path = "/data/" + name },
        },
        Status = new V1PersistentVolumeStatus { Phase = "Available" },
    };

    private static V1PersistentVolume BoundVolume(string policy, string? provisionedBy)
    {
        var volume = Volume("pv-1", "1Gi");
        volume.Spec.PersistentVolumeReclaimPolicy = policy;
        volume.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "ns-1", Name = "data", Uid = "uid-gone" };
        volume.Status.Phase = "Bound";
        if (provisionedBy is not null)
        {
            volume.Metadata.Annotations = new Dictionary<string, string> { [PersistentVolumes.AnnDynamicallyProvisioned] = provisionedBy };
        }

        return volume;
    }

    private static V1PersistentVolumeClaim Claim(string size, string? storageClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns-1", Uid = "uid-data", ResourceVersion = "1" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
        },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
    };

    private static V1StorageClass Class(string name, string provisioner, string bindingMode) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Provisioner = provisioner,
        VolumeBindingMode = bindingMode,
    };
}
