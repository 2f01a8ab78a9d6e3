using k8s.Models;
using Timonel.Controllers.Volume;

namespace Timonel.Controllers.Tests.Volume;

public sealed class LocalPathProvisionerTests : IDisposable
{
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "timonel-storage-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingNodeDirectories _otherNodes = new();
    private readonly LocalPathProvisioner _provisioner;
    private readonly V1StorageClass _class = new() { Metadata = new V1ObjectMeta { Name = "local-path" }, Provisioner = LocalPathProvisioner.Name, ReclaimPolicy = "Delete" };

    public LocalPathProvisionerTests() => _provisioner = new LocalPathProvisioner(_storage, "node-a", _otherNodes);

    public void Dispose()
    {
        if (Directory.Exists(_storage))
        {
            Directory.Delete(_storage, recursive: true);
        }
    }

    [Fact]
    public async Task Provision_IsAHostPathDirectoryNamedAfterVolumeNamespaceAndClaim_OpenToAll()
    {
        var spec = await _provisioner.ProvisionAsync(Claim(), _class, null, CancellationToken.None);

        var path = Path.Combine(_storage, "pvc-1234_shop_data");
        Assert.Equal(path, spec.HostPath.Path);
        Assert.Equal("DirectoryOrCreate", spec.HostPath.Type);
        Assert.Equal("2Gi", spec.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], spec.AccessModes);
        Assert.Null(spec.NodeAffinity);
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Provision_OnASelectedNode_IsTiedToIt()
    {
        var spec = await _provisioner.ProvisionAsync(Claim(), _class, "node-b", CancellationToken.None);

        var requirement = Assert.Single(Assert.Single(spec.NodeAffinity.Required.NodeSelectorTerms).MatchExpressions);
        Assert.Equal(("kubernetes.io/hostname", "In", "node-b"), (requirement.Key, requirement.OperatorProperty, Assert.Single(requirement.Values)));

        // Another machine's directory is made on that machine, not here.
        Assert.False(Directory.Exists(spec.HostPath.Path));
        Assert.Equal([("create", "node-b", spec.HostPath.Path)], _otherNodes.Calls);
    }

    [Fact]
    public async Task Provision_OnThisMachinesNode_MakesTheDirectoryHere()
    {
        var spec = await _provisioner.ProvisionAsync(Claim(), _class, "node-a", CancellationToken.None);

        Assert.True(Directory.Exists(spec.HostPath.Path));
        Assert.Empty(_otherNodes.Calls);
    }

    [Fact]
    public async Task Provision_WhenTheOtherNodeFails_FailsWithItsReason()
    {
        _otherNodes.Failure = "helper pod kube-system/helper-pod-create-pvc-1234 failed on node node-b";

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _provisioner.ProvisionAsync(Claim(), _class, "node-b", CancellationToken.None));

        Assert.Equal(_otherNodes.Failure, e.Message);
    }

    [Fact]
    public async Task Delete_OfAVolumeOnAnotherNode_IsDoneOnThatNode()
    {
        var spec = await _provisioner.ProvisionAsync(Claim(), _class, "node-b", CancellationToken.None);

        await _provisioner.DeleteAsync(new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pvc-1234" }, Spec = spec }, CancellationToken.None);

        Assert.Equal([("create", "node-b", spec.HostPath.Path), ("delete", "node-b", spec.HostPath.Path)], _otherNodes.Calls);
    }

    [Fact]
    public async Task Delete_RemovesTheDirectoryAndItsContents()
    {
        var spec = await _provisioner.ProvisionAsync(Claim(), _class, "node-a", CancellationToken.None);
        File.WriteAllText(Path.Combine(spec.HostPath.Path, "data"), "x");

        await _provisioner.DeleteAsync(new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pvc-1234" }, Spec = spec }, CancellationToken.None);

        Assert.False(Directory.Exists(spec.HostPath.Path));
    }

    [Fact]
    public async Task Delete_OfAPathOutsideItsStorage_IsRefusedAndTouchesNothing()
    {
        var volume = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pv-etc" },
            Spec = new V1PersistentVolumeSpec { HostPath = new V1HostPathVolumeSource { Path = Path.Combine(_storage, "..", "elsewhere") } },
        };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _provisioner.DeleteAsync(volume, CancellationToken.None));

        Assert.Contains("is not a local-path volume", e.Message);
    }

    [Fact]
    public async Task Provision_BlockMode_IsRefused()
    {
        var claim = Claim();
        claim.Spec.VolumeMode = "Block";

        await Assert.ThrowsAsync<InvalidOperationException>(() => _provisioner.ProvisionAsync(claim, _class, null, CancellationToken.None));
    }

    private static V1PersistentVolumeClaim Claim() => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "shop", Uid = "1234" },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("2Gi") } },
        },
    };

    private sealed class RecordingNodeDirectories : INodeDirectories
    {
        public List<(string Action, string Node, string Path)> Calls { get; } = [];

        public string? Failure { get; set; }

        public Task CreateAsync(string node, string path, CancellationToken cancellationToken) => Record("create", node, path);

        public Task DeleteAsync(string node, string path, CancellationToken cancellationToken) => Record("delete", node, path);

        private Task Record(string action, string node, string path)
        {
            Calls.Add((action, node, path));
            return Failure is null ? Task.CompletedTask : Task.FromException(new InvalidOperationException(Failure));
        }
    }
}
