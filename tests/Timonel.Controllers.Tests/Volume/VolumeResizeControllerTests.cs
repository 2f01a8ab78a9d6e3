using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Timonel.Client.Volumes;
using Timonel.Controllers.Volume;
using Timonel.Testing.Api;
using Timonel.Testing.Events;
using Timonel.Testing.Informers;

namespace Timonel.Controllers.Tests.Volume;

public sealed class VolumeResizeControllerTests : IDisposable
{
    private const string Provisioner = "test.timonel.io/provisioner";
    private readonly FakeApiServer _api = new();
    private readonly RecordingEventRecorder _events = new();
    private readonly TestInformer<V1PersistentVolume> _volumes = new();
    private readonly TestInformer<V1PersistentVolumeClaim> _claims = new();
    private readonly VolumeResizeController _controller;

    public VolumeResizeControllerTests() =>
        _controller = new(
            _api.Client,
            _claims.Informer,
            _volumes.Informer,
            new Dictionary<string, IVolumeProvisioner> { [Provisioner] = new RecordingProvisioner() },
            _events,
            new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            NullLogger<VolumeResizeController>.Instance);

    public void Dispose()
    {
        _controller.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task SyncAsync_ClaimAsksForMore_MarksItResizing_GrowsTheVolume_ThenHandsItToTheNode()
    {
        _volumes.Add(Volume("1Gi", Provisioner));
        _claims.Add(Claim(requested: "2Gi", capacity: "1Gi"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        const string claimStatus = "PATCH /api/v1/namespaces/ns-1/persistentvolumeclaims/data/status";
        Assert.Equal([claimStatus, "PATCH /api/v1/persistentvolumes/pvc-1", claimStatus], _api.Calls);
        var resizing = JsonNode.Parse(_api.Requests[0].Body!)!["status"]!;
        Assert.Equal(("Resizing", "True"), Condition(resizing));
        Assert.Equal("2Gi", (string?)resizing["allocatedResources"]!["storage"]);
        Assert.Equal("ControllerResizeInProgress", (string?)resizing["allocatedResourceStatuses"]!["storage"]);
        var volume = JsonNode.Parse(_api.Requests[1].Body!)!;
        Assert.Equal("2Gi", (string?)volume["spec"]!["capacity"]!["storage"]);
        Assert.Equal("1Gi", (string?)volume["metadata"]!["annotations"]![PersistentVolumes.AnnPreResizeCapacity]);
        var pending = JsonNode.Parse(_api.Requests[2].Body!)!["status"]!;
        Assert.Equal(("FileSystemResizePending", "True"), Condition(pending));
        Assert.Equal("NodeResizePending", (string?)pending["allocatedResourceStatuses"]!["storage"]);
        Assert.Equal(
            [("Resizing", "External resizer is resizing volume pvc-1"), ("FileSystemResizeRequired", "Require file system resize of volume on node")],
            _events.Events.Select(e => (e.Reason, e.Message)));
    }

    [Fact]
    public async Task SyncAsync_OtherConditionsOfTheClaim_AreKept()
    {
        _volumes.Add(Volume("1Gi", Provisioner));
        _claims.Add(GrowingClaimWith("ModifyingVolume"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        var conditions = JsonNode.Parse(_api.Requests[^1].Body!)!["status"]!["conditions"]!.AsArray();
        Assert.Equal(["ModifyingVolume", "FileSystemResizePending"], conditions.Select(c => (string?)c!["type"]));
    }

    [Fact]
    public async Task SyncAsync_VolumeOfAnotherProvisioner_IsLeftToItsResizer()
    {
        _volumes.Add(Volume("1Gi", "ebs.csi.aws.com"));
        _claims.Add(Claim(requested: "2Gi", capacity: "1Gi"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_ResizePendingOnTheNode_WaitsForTheKubelet()
    {
        _volumes.Add(Volume("2Gi", Provisioner));
        _claims.Add(GrowingClaimWith("FileSystemResizePending"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        Assert.Empty(_api.Calls);
    }

    [Fact]
    public async Task SyncAsync_NodeReportedTheNewCapacity_RemovesThePreResizeAnnotation()
    {
        var volume = Volume("2Gi", Provisioner);
        volume.Metadata.Annotations[PersistentVolumes.AnnPreResizeCapacity] = "1Gi";
        _volumes.Add(volume);
        _claims.Add(Claim(requested: "2Gi", capacity: "2Gi"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        var annotations = JsonNode.Parse(_api.Requests.Single().Body!)!["metadata"]!["annotations"]!.AsObject();
        Assert.True(annotations.ContainsKey(PersistentVolumes.AnnPreResizeCapacity));
        Assert.Null(annotations[PersistentVolumes.AnnPreResizeCapacity]);
    }

    [Fact]
    public async Task SyncAsync_ClaimNotGrowing_DoesNothing()
    {
        _volumes.Add(Volume("1Gi", Provisioner));
        _claims.Add(Claim(requested: "1Gi", capacity: "1Gi"));

        await _controller.SyncAsync("ns-1/data", CancellationToken.None);

        Assert.Empty(_api.Calls);
        Assert.Empty(_events.Events);
    }

    private static (string?, string?) Condition(JsonNode status)
    {
        var condition = status["conditions"]!.AsArray().Single()!;
        return ((string?)condition["type"], (string?)condition["status"]);
    }

    // A claim of 1Gi asking for 2Gi, with a condition of this type.
    private static V1PersistentVolumeClaim GrowingClaimWith(string condition)
    {
        var claim = Claim(requested: "2Gi", capacity: "1Gi");
        claim.Status.Conditions = [new V1PersistentVolumeClaimCondition { Type = condition, Status = "True" }];
        return claim;
    }

    private static V1PersistentVolume Volume(string size, string provisionedBy) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "pvc-1",
            ResourceVersion = "3",
            Annotations = new Dictionary<string, string> { [PersistentVolumes.AnnDynamicallyProvisioned] = provisionedBy },
        },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            ClaimRef = new V1ObjectReference { NamespaceProperty = "ns-1", Name = "data", Uid = "uid-data" },
            HostPath = new V1HostPathVolumeSource { Path = "/data/pvc-1" },
        },
        Status = new V1PersistentVolumeStatus { Phase = "Bound" },
    };

    private static V1PersistentVolumeClaim Claim(string requested, string capacity) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "ns-1", Uid = "uid-data", ResourceVersion = "5" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            VolumeName = "pvc-1",
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(requested) } },
        },
        Status = new V1PersistentVolumeClaimStatus { Phase = "Bound", Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity) } },
    };
}
