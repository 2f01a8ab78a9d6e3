using k8s.Models;
using Timonel.Agent.Kubelet.Volumes;
using static Timonel.Agent.Tests.Kubelet.Volumes.VolumeTestPods;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class HostPathAndClaimVolumeTests : IDisposable
{
    private readonly VolumeManagerFixture _fixture = new();
    private readonly TemporaryDirectory _host = new();

    public void Dispose()
    {
        _fixture.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task HostPath_IsTheNodesOwnPath()
    {
        var pod = With(new V1Volume { Name = "logs", HostPath = new V1HostPathVolumeSource { Path = _host.Path, Type = "Directory" } });

        var volume = await _fixture.MountOneAsync(pod);

        Assert.Equal(_host.Path, volume.HostPath);
        Assert.False(volume.ReadOnly);
    }

    [Fact]
    public async Task HostPath_FailedTypeCheck_FailsTheVolume()
    {
        var file = Path.Combine(_host.Path, "file");
        File.WriteAllText(file, "x");
        var pod = With(new V1Volume { Name = "logs", HostPath = new V1HostPathVolumeSource { Path = file, Type = "Directory" } });

        var e = await _fixture.MountFailsAsync(pod);

        Assert.Equal(("logs", $"hostPath type check failed: {file} is not a directory"), (e.Volume, e.Message));
    }

    [Fact]
    public async Task Claim_BoundToAHostPathVolume_IsItsDirectory()
    {
        var path = Path.Combine(_host.Path, "pvc-1_game_data");
        Bind("data", Volume("pvc-1", new V1HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" }, "ReadWriteOnce"));

        var volume = await _fixture.MountOneAsync(With(ClaimVolume("data", readOnly: false)));

        Assert.Equal(path, volume.HostPath);
        Assert.True(Directory.Exists(path));
        Assert.False(volume.ReadOnly);
    }

    [Fact]
    public async Task Claim_ExpansionWaitingForTheNode_IsFinishedAtMount()
    {
        BindResizedTo2Gi();

        await _fixture.MountOneAsync(With(ClaimVolume("data", readOnly: false)));

        var written = Assert.Single(_fixture.Objects.ClaimStatusUpdates);
        Assert.Equal("2Gi", written.Status.Capacity["storage"].ToString());
        Assert.Null(written.Status.Conditions);
    }

    [Fact]
    public async Task Claim_ExpansionWhileThePodRuns_IsFinishedWhenItsVolumesAreRefreshed()
    {
        Bind("data", Volume("pvc-1", new V1HostPathVolumeSource { Path = _host.Path }, "ReadWriteOnce"));
        var pod = With(ClaimVolume("data", readOnly: false));
        await _fixture.MountOneAsync(pod);
        BindResizedTo2Gi();

        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        var written = Assert.Single(_fixture.Objects.ClaimStatusUpdates);
        Assert.Equal("2Gi", written.Status.Capacity["storage"].ToString());
        Assert.Null(written.Status.Conditions);
    }

    [Fact]
    public async Task Claim_ExpansionFinished_ClearsTheStorageResizeStatus_KeepsAllocatedResources_AndIsReportedForTheEvents()
    {
        var claim = BindResizedTo2Gi();
        claim.Status.Conditions = [.. claim.Status.Conditions, new V1PersistentVolumeClaimCondition { Type = "ModifyingVolume", Status = "True" }];
        claim.Status.AllocatedResources = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") };
        claim.Status.AllocatedResourceStatuses = new Dictionary<string, string> { ["storage"] = "NodeResizePending" };
        var finished = new List<FileSystemResize>();
        _fixture.Manager.FileSystemResized += finished.Add;
        var pod = With(ClaimVolume("data", readOnly: false));

        await _fixture.MountOneAsync(pod);

        var written = Assert.Single(_fixture.Objects.ClaimStatusUpdates);
        Assert.Null(written.Status.AllocatedResourceStatuses);
        Assert.Equal("2Gi", written.Status.AllocatedResources["storage"].ToString());
        Assert.Equal(["ModifyingVolume"], written.Status.Conditions.Select(c => c.Type));
        var resize = Assert.Single(finished);
        Assert.Equal((pod.Metadata.Name, "data"), (resize.Pod.Metadata.Name, resize.Claim.Metadata.Name));
        Assert.Equal("MountVolume.NodeExpandVolume succeeded for volume \"pvc-1\" node-a", resize.Message("node-a"));
    }

    [Fact]
    public async Task Claim_NodeResizePendingWithoutTheCondition_IsFinishedToo()
    {
        var claim = BindResizedTo2Gi();
        claim.Status.Conditions = [];
        claim.Status.AllocatedResourceStatuses = new Dictionary<string, string> { ["storage"] = "NodeResizePending" };

        await _fixture.MountOneAsync(With(ClaimVolume("data", readOnly: false)));

        Assert.Equal("2Gi", Assert.Single(_fixture.Objects.ClaimStatusUpdates).Status.Capacity["storage"].ToString());
    }

    [Fact]
    public async Task Claim_NoExpansionWaiting_StatusIsNotWritten()
    {
        Bind("data", Volume("pvc-1", new V1HostPathVolumeSource { Path = _host.Path }, "ReadWriteOnce"));
        var pod = With(ClaimVolume("data", readOnly: false));

        await _fixture.MountOneAsync(pod);
        await _fixture.Manager.RefreshAsync(pod, CancellationToken.None);

        Assert.Empty(_fixture.Objects.ClaimStatusUpdates);
    }

    [Fact]
    public async Task Claim_ReadOnlyFromThePodOrFromTheVolumesAccessModes()
    {
        Bind("data", Volume("pvc-1", new V1HostPathVolumeSource { Path = _host.Path }, "ReadWriteOnce"));
        Bind("shared", Volume("pvc-2", new V1HostPathVolumeSource { Path = _host.Path }, "ReadOnlyMany"));

        var fromPod = await _fixture.MountOneAsync(With(ClaimVolume("data", readOnly: true)));
        var fromModes = await _fixture.MountOneAsync(With(ClaimVolume("shared", readOnly: false)));

        Assert.True(fromPod.ReadOnly);
        Assert.True(fromModes.ReadOnly);
    }

    [Fact]
    public async Task Claim_LocalVolume_IsItsPath()
    {
        var pv = Volume("pvc-1", null, "ReadWriteOnce");
        pv.Spec.Local = new V1LocalVolumeSource { Path = _host.Path };
        Bind("data", pv);

        var volume = await _fixture.MountOneAsync(With(ClaimVolume("data", readOnly: false)));

        Assert.Equal(_host.Path, volume.HostPath);
    }

    [Fact]
    public async Task Claim_UnboundOrMissing_FailsTheVolume()
    {
        _fixture.Objects.Add(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "pending", NamespaceProperty = "game", Uid = "c1" },
            Spec = new V1PersistentVolumeClaimSpec(),
            Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" },
        });

        Assert.Equal("persistentvolumeclaim \"pending\" is not bound", (await _fixture.MountFailsAsync(With(ClaimVolume("pending", false)))).Message);
        Assert.Equal("persistentvolumeclaim \"absent\" not found", (await _fixture.MountFailsAsync(With(ClaimVolume("absent", false)))).Message);
    }

    [Fact]
    public async Task Claim_VolumeOfAnotherKind_FailsWithAMessageSayingWhatIsServed()
    {
        var pv = Volume("pvc-1", null, "ReadWriteOnce");
        pv.Spec.Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "/export" };
        Bind("data", pv);

        var e = await _fixture.MountFailsAsync(With(ClaimVolume("data", false)));

        Assert.Contains("only hostPath and local volumes are served", e.Message);
    }

    [Fact]
    public async Task UnsupportedVolume_FailsWithNoPluginMatched()
    {
        var pod = With(new V1Volume { Name = "remote", Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "/export" } });

        var e = await _fixture.MountFailsAsync(pod);

        Assert.Equal("failed to get Plugin from volumeSpec for volume \"remote\" err=no volume plugin matched", e.Message);
    }

    // A claim of 1Gi whose volume the resize controller grew to 2Gi, the node's part left to do.
    private V1PersistentVolumeClaim BindResizedTo2Gi()
    {
        var volume = Volume("pvc-1", new V1HostPathVolumeSource { Path = _host.Path }, "ReadWriteOnce");
        volume.Spec.Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") };
        var claim = Bind("data", volume);
        claim.Status.Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") };
        claim.Status.Conditions = [new V1PersistentVolumeClaimCondition { Type = "FileSystemResizePending", Status = "True" }];
        return claim;
    }

    private V1PersistentVolumeClaim Bind(string claimName, V1PersistentVolume volume)
    {
        var uid = Guid.NewGuid().ToString();
        volume.Spec.ClaimRef = new V1ObjectReference { Name = claimName, NamespaceProperty = "game", Uid = uid };
        _fixture.Objects.Add(volume);
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = claimName, NamespaceProperty = "game", Uid = uid },
            Spec = new V1PersistentVolumeClaimSpec { VolumeName = volume.Metadata.Name },
            Status = new V1PersistentVolumeClaimStatus { Phase = "Bound" },
        };
        _fixture.Objects.Add(claim);
        return claim;
    }

    private static V1PersistentVolume Volume(string name, V1HostPathVolumeSource? hostPath, string accessMode) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec { HostPath = hostPath, AccessModes = [accessMode] },
    };

    private static V1Volume ClaimVolume(string claim, bool readOnly) =>
        new() { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnlyProperty = readOnly } };
}
