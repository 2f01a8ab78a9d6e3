using k8s.Models;
using Timonel.Scheduler.Framework;
using Timonel.Scheduler.Tests.Fakes;
using Timonel.Scheduler.Tests.Plugins.VolumeBinding;

namespace Timonel.Scheduler.Tests.Plugins.VolumeRestrictions;

public sealed class VolumeRestrictionsTests
{
    private readonly VolumeCluster _cluster = new();
    private readonly global::Timonel.Scheduler.Plugins.VolumeRestrictions.VolumeRestrictions _plugin;

    public VolumeRestrictionsTests() => _plugin = new(_cluster.Handle);

    [Fact]
    public void Filter_ReadWriteOncePodClaimInUse_IsUnresolvableEverywhere()
    {
        _cluster.Claims.Add(VolumeCluster.Claim("data", volumeName: "pv-1", mode: "ReadWriteOncePod"));
        var user = VolumeCluster.PodWithClaims("data");
        user.Metadata.Name = "first";
        user.Metadata.Uid = "uid-first";
        user.Spec.NodeName = "node-2";
        var node2 = new NodeInfo(Make.Node("node-2"));
        node2.AddPod(new PodInfo(user));
        _cluster.Snapshot.NodeInfoList = [new NodeInfo(Make.Node("node-1")), node2];

        var status = PluginTesting.Filter(_plugin, VolumeCluster.PodWithClaims("data"), Make.Node("node-1"));

        Assert.Equal(
            (Code.UnschedulableAndUnresolvable, "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"),
            (status.Code, status.Message));
    }

    [Fact]
    public void Filter_ReadWriteOncePodClaimUnused_Fits()
    {
        _cluster.Claims.Add(VolumeCluster.Claim("data", volumeName: "pv-1", mode: "ReadWriteOncePod"));

        Assert.True(PluginTesting.Filter(_plugin, VolumeCluster.PodWithClaims("data"), Make.Node("node-1")).IsSuccess);
    }

    [Theory]
    [InlineData(false, false, Code.Unschedulable)]
    [InlineData(true, false, Code.Unschedulable)]
    [InlineData(true, true, Code.Success)]
    public void Filter_SameGcePersistentDisk_ConflictsUnlessBothReadOnly(bool readOnly, bool existingReadOnly, Code expected)
    {
        var existing = WithDisk(Make.Pod("db", nodeName: "node-1"), existingReadOnly);
        var pod = WithDisk(Make.Pod("web"), readOnly);

        var status = PluginTesting.Filter(_plugin, pod, Make.Node("node-1"), existing);

        Assert.Equal(expected, status.Code);
        Assert.Equal(expected == Code.Success ? "" : "node(s) had no available disk", status.Message);
    }

    private static V1Pod WithDisk(V1Pod pod, bool readOnly)
    {
        pod.Spec.Volumes = [new V1Volume { Name = "disk", GcePersistentDisk = new V1GCEPersistentDiskVolumeSource { PdName = "pd-1", ReadOnlyProperty = readOnly } }];
        return pod;
    }
}
