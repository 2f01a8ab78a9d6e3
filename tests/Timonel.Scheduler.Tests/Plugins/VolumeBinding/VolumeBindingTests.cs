using k8s.Models;
using Timonel.Client.Volumes;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;

namespace Timonel.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingTests
{
    private readonly VolumeCluster _cluster = new();
    private readonly global::Timonel.Scheduler.Plugins.VolumeBinding.VolumeBinding _plugin;

    public VolumeBindingTests() => _plugin = new(_cluster.Handle);

    [Fact]
    public void PreFilter_PodWithoutClaims_Skips()
    {
        var (_, status) = _plugin.PreFilter(new CycleState(), new PodInfo(Make.Pod("web")));

        Assert.True(status.IsSkip);
    }

    [Fact]
    public void PreFilter_MissingClaim_IsUnresolvableWithTheApiMessage()
    {
        var status = PluginTesting.Filter(_plugin, VolumeCluster.PodWithClaims("data"), Make.Node("node-1"));

        Assert.Equal((Code.UnschedulableAndUnresolvable, "persistentvolumeclaim \"data\" not found"), (status.Code, status.Message));
    }

    [Fact]
    public void PreFilter_UnboundImmediateClaim_WaitsForThePvController()
    {
        _cluster.Claims.Add(VolumeCluster.Claim("data"));

        var status = PluginTesting.Filter(_plugin, VolumeCluster.PodWithClaims("data"), Make.Node("node-1"));

        Assert.Equal((Code.UnschedulableAndUnresolvable, "pod has unbound immediate PersistentVolumeClaims"), (status.Code, status.Message));
    }

    [Fact]
    public void Filter_BoundClaimWithLocalVolume_FitsOnlyItsNode()
    {
        _cluster.Claims.Add(VolumeCluster.Claim("data", volumeName: "local-1"));
        _cluster.Volumes.Add(VolumeCluster.Volume("local-1", null, node: "node-2"));
        var pod = VolumeCluster.PodWithClaims("data");

        var elsewhere = PluginTesting.Filter(_plugin, pod, Make.Node("node-1"));
        var there = PluginTesting.Filter(_plugin, pod, Make.Node("node-2"));

        Assert.Equal((Code.UnschedulableAndUnresolvable, "node(s) had volume node affinity conflict"), (elsewhere.Code, elsewhere.Message));
        Assert.True(there.IsSuccess);
    }

    [Fact]
    public void Filter_WaitForFirstConsumerWithoutProvisioner_FitsWhereAnAvailableVolumeIs()
    {
        _cluster.Classes.Add(VolumeCluster.Class("local", "kubernetes.io/no-provisioner"));
        _cluster.Claims.Add(VolumeCluster.Claim("data", "local"));
        _cluster.Volumes.Add(VolumeCluster.Volume("local-2", "local", node: "node-2"));
        var pod = VolumeCluster.PodWithClaims("data");

        var elsewhere = PluginTesting.Filter(_plugin, pod, Make.Node("node-1"));
        var there = PluginTesting.Filter(_plugin, pod, Make.Node("node-2"));

        Assert.Equal("node(s) didn't find available persistent volumes to bind", elsewhere.Message);
        Assert.True(there.IsSuccess);
    }

    [Fact]
    public void Filter_ProvisionerWithAllowedTopologies_FitsOnlyThoseNodes()
    {
        var storageClass = VolumeCluster.Class("zonal", "test.timonel.io/provisioner");
        storageClass.AllowedTopologies = [new V1TopologySelectorTerm { MatchLabelExpressions = [new V1TopologySelectorLabelRequirement { Key = "zone", Values = ["a"] }] }];
        _cluster.Classes.Add(storageClass);
        _cluster.Claims.Add(VolumeCluster.Claim("data", "zonal"));
        var pod = VolumeCluster.PodWithClaims("data");

        var inZone = PluginTesting.Filter(_plugin, pod, Make.Node("node-1", labels: new Dictionary<string, string> { ["zone"] = "a" }));
        var outside = PluginTesting.Filter(_plugin, pod, Make.Node("node-2", labels: new Dictionary<string, string> { ["zone"] = "b" }));

        Assert.True(inZone.IsSuccess);
        Assert.Equal(Code.UnschedulableAndUnresolvable, outside.Code);
    }

    [Fact]
    public async Task PreBindAsync_StaticMatch_PreBindsTheVolumeAndWaitsForTheBinding()
    {
        _cluster.Classes.Add(VolumeCluster.Class("local", "kubernetes.io/no-provisioner"));
        var claim = VolumeCluster.Claim("data", "local");
        _cluster.Claims.Add(claim);
        _cluster.Volumes.Add(VolumeCluster.Volume("local-1", "local", node: "node-1"));
        // The PV controller's part, done the moment the scheduler writes the claimRef.
        _cluster.Api.OnVolumeWrite = written =>
        {
            if (written is V1PersistentVolume volume)
            {
                volume.Status.Phase = "Bound";
                _cluster.Volumes.Add(volume);
                var bound = VolumeCluster.Claim("data", "local", volumeName: volume.Metadata.Name);
                bound.Metadata.Annotations = new Dictionary<string, string> { [PersistentVolumes.AnnBindCompleted] = "yes" };
                _cluster.Claims.Add(bound);
            }
        };
        var (state, pod) = Schedule(VolumeCluster.PodWithClaims("data"), "node-1");

        var status = await _plugin.PreBindAsync(state, pod, "node-1", CancellationToken.None);

        Assert.True(status.IsSuccess, status.ToString());
        var written = Assert.Single(_cluster.Api.VolumeUpdates);
        Assert.Equal(("local-1", "data", "uid-data", "yes"), (written.Metadata.Name, written.Spec.ClaimRef.Name, written.Spec.ClaimRef.Uid, written.Metadata.Annotations[PersistentVolumes.AnnBoundByController]));
        Assert.Empty(_cluster.Api.ClaimUpdates);
    }

    [Fact]
    public async Task PreBindAsync_ClaimToProvision_SelectsTheNodeOnTheClaim()
    {
        _cluster.Classes.Add(VolumeCluster.Class("local-path", "test.timonel.io/provisioner"));
        _cluster.Claims.Add(VolumeCluster.Claim("data", "local-path"));
        _cluster.Api.OnVolumeWrite = written =>
        {
            if (written is V1PersistentVolumeClaim claim)
            {
                // The provisioner and PV controller: a volume pre-bound to the claim, then the claim bound.
                var volume = VolumeCluster.Volume("pvc-uid-data", "local-path", node: "node-1");
                volume.Spec.ClaimRef = new V1ObjectReference { NamespaceProperty = "default", Name = "data", Uid = "uid-data" };
                _cluster.Volumes.Add(volume);
                claim.Spec.VolumeName = volume.Metadata.Name;
                claim.Metadata.Annotations[PersistentVolumes.AnnBindCompleted] = "yes";
                _cluster.Claims.Add(claim);
            }
        };
        var (state, pod) = Schedule(VolumeCluster.PodWithClaims("data"), "node-1");

        var status = await _plugin.PreBindAsync(state, pod, "node-1", CancellationToken.None);

        Assert.True(status.IsSuccess, status.ToString());
        Assert.Equal("node-1", Assert.Single(_cluster.Api.ClaimUpdates).Metadata.Annotations[PersistentVolumes.AnnSelectedNode]);
    }

    [Fact]
    public void Reserve_VolumeReservedForAnotherPod_IsNotOfferedAgain()
    {
        _cluster.Classes.Add(VolumeCluster.Class("local", "kubernetes.io/no-provisioner"));
        _cluster.Claims.Add(VolumeCluster.Claim("data", "local"), VolumeCluster.Claim("other", "local"));
        _cluster.Volumes.Add(VolumeCluster.Volume("local-1", "local", node: "node-1"));
        Schedule(VolumeCluster.PodWithClaims("data"), "node-1");

        var second = VolumeCluster.PodWithClaims("other");
        second.Metadata.Name = "web-2";
        second.Metadata.Uid = "uid-web-2";
        var status = PluginTesting.Filter(_plugin, second, Make.Node("node-1"));

        Assert.Equal("node(s) didn't find available persistent volumes to bind", status.Message);
    }

    // PreFilter, Filter on the node and Reserve, as a scheduling cycle that chose it.
    private (CycleState State, PodInfo Pod) Schedule(V1Pod pod, string nodeName)
    {
        var state = new CycleState();
        var info = new PodInfo(pod);
        Assert.True(_plugin.PreFilter(state, info).Status.IsSuccess);
        Assert.True(_plugin.Filter(state, info, new NodeInfo(Make.Node(nodeName))).IsSuccess);
        Assert.True(_plugin.Reserve(state, info, nodeName).IsSuccess);
        return (state, info);
    }
}
