using k8s.Models;
using Timonel.Controllers.Deployment;
using static Timonel.Controllers.Tests.Deployment.DeploymentObjects;

namespace Timonel.Controllers.Tests.Deployment;

public sealed class DeploymentUtilTests
{
    [Theory]
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("25%", "25%", 10, 3, 2)] // surge rounds 2.5 up, unavailable 2.5 down
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0", "10%", 5, 0, 1)] // both zero after rounding: unavailable becomes 1
    [InlineData("0%", "0%", 3, 0, 1)]
    [InlineData("1", "0", 3, 1, 0)]
    [InlineData("50%", "50%", 5, 3, 2)]
    [InlineData("2", "1", 10, 2, 1)]
    public void ResolveFenceposts_IntsAndPercents_SurgeRoundsUpUnavailableDown(string surge, string unavailable, int desired, int expectedSurge, int expectedUnavailable)
    {
        var (s, u) = DeploymentUtil.ResolveFenceposts(surge, unavailable, desired);

        Assert.Equal((expectedSurge, expectedUnavailable), (s, u));
    }

    [Theory]
    [InlineData(3, "0", "5", 3)] // never more than spec.replicas
    [InlineData(0, "25%", "25%", 0)]
    public void MaxUnavailable_Bounds_CappedAtReplicasAndZeroWithoutReplicas(int replicas, string surge, string unavailable, int expected)
    {
        Assert.Equal(expected, DeploymentUtil.MaxUnavailable(DeploymentObject(replicas, maxSurge: surge, maxUnavailable: unavailable)));
    }

    [Fact]
    public void MaxSurgeAndMaxUnavailable_Recreate_AreZero()
    {
        var d = DeploymentObject(4, strategy: "Recreate");

        Assert.Equal((0, 0), (DeploymentUtil.MaxSurge(d), DeploymentUtil.MaxUnavailable(d)));
    }

    [Theory]
    [InlineData(4, "1", 4, 0, 1)] // 4 old + 0 new, room for 1 more
    [InlineData(4, "1", 3, 2, 2)] // 5 in all: no room, the new one keeps its size
    [InlineData(10, "30%", 10, 0, 3)]
    [InlineData(4, "4", 4, 0, 4)] // never beyond spec.replicas for the new one
    [InlineData(4, "1", 0, 3, 4)]
    public void NewRsNewReplicas_RollingUpdate_GrowsWithinReplicasPlusSurge(int replicas, string surge, int oldSize, int newSize, int expected)
    {
        var d = DeploymentObject(replicas, maxSurge: surge, maxUnavailable: "0");
        var old = ReplicaSetObject("old", "nginx:1.26", oldSize, oldSize, 1, replicas, replicas + 1, 10);
        var newRs = ReplicaSetObject("new", "nginx:1.27", newSize, 0, 2, replicas, replicas + 1, 1);

        Assert.Equal(expected, DeploymentUtil.NewRsNewReplicas(d, [old, newRs], newRs));
    }

    [Fact]
    public void NewRsNewReplicas_Recreate_IsSpecReplicasAtOnce()
    {
        var d = DeploymentObject(5, strategy: "Recreate");
        var newRs = ReplicaSetObject("new", "nginx:1.27", 0, 0, 2, 5, 5, 1);

        Assert.Equal(5, DeploymentUtil.NewRsNewReplicas(d, [newRs], newRs));
    }

    [Fact]
    public void ProportionalSizes_ScaledFrom10To20MidRollout_SharesInProportionWithinTheSurge()
    {
        var d = DeploymentObject(20, maxSurge: "3", maxUnavailable: "2");
        var old = ReplicaSetObject("old", "nginx:1.26", 8, 8, 1, 10, 13, 10);
        var newRs = ReplicaSetObject("new", "nginx:1.27", 5, 0, 2, 10, 13, 1);

        var sizes = DeploymentController.ProportionalSizes(d, [old, newRs]);

        // 23 allowed, 13 now: old 8 * 23/13 = 14.15 -> 14, new 5 * 23/13 = 8.85 -> 9.
        Assert.Equal([("web-old", 14, "up"), ("web-new", 9, "up")], sizes.Select(s => (s.Rs.Metadata.Name, s.Size, s.Operation)));
    }

    [Fact]
    public void ProportionalSizes_ScaledDownMidRollout_LargerFirstLeftoverToTheFirst()
    {
        var d = DeploymentObject(5, maxSurge: "1", maxUnavailable: "0");
        var old = ReplicaSetObject("old", "nginx:1.26", 7, 7, 1, 10, 11, 10);
        var newRs = ReplicaSetObject("new", "nginx:1.27", 4, 0, 2, 10, 11, 1);

        var sizes = DeploymentController.ProportionalSizes(d, [newRs, old]);

        // 6 allowed, 11 now: old 7 * 6/11 = 3.8 -> 4, new 4 * 6/11 = 2.2 -> 2.
        Assert.Equal([("web-old", 4, "down"), ("web-new", 2, "down")], sizes.Select(s => (s.Rs.Metadata.Name, s.Size, s.Operation)));
        Assert.Equal(6, sizes.Sum(s => s.Size));
    }

    [Fact]
    public void ProportionalSizes_ScaledToZero_EveryReplicaSetToZero()
    {
        var d = DeploymentObject(0);
        var old = ReplicaSetObject("old", "nginx:1.26", 3, 3, 1, 4, 5, 10);
        var newRs = ReplicaSetObject("new", "nginx:1.27", 2, 0, 2, 4, 5, 1);

        var sizes = DeploymentController.ProportionalSizes(d, [old, newRs]);

        Assert.All(sizes, s => Assert.Equal(0, s.Size));
    }

    [Fact]
    public void PodTemplateHash_SameTemplate_SameSafeEncodedValueAndCollisionCountChangesIt()
    {
        var a = PodTemplateHash.Compute(Template("nginx:1.27"), null);
        var b = PodTemplateHash.Compute(Template("nginx:1.27"), null);
        var other = PodTemplateHash.Compute(Template("nginx:1.26"), null);
        var collided = PodTemplateHash.Compute(Template("nginx:1.27"), 1);

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.NotEqual(a, collided);
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", a);
    }

    [Fact]
    public void SafeEncode_Digits_MapIntoTheAlphabetAsUpstream()
    {
        // rand.SafeEncodeString("1234567890"): each byte modulo 27 into "bcdfghjklmnpqrstvwxz2456789".
        Assert.Equal("56789bcdf4", PodTemplateHash.SafeEncode("1234567890"));
    }

    [Fact]
    public void EqualIgnoreHash_TemplatesDifferingOnlyByTheHashLabel_AreEqual()
    {
        var withHash = Template("nginx:1.27");
        withHash.Metadata.Labels["pod-template-hash"] = "abc";

        Assert.True(DeploymentUtil.EqualIgnoreHash(withHash, Template("nginx:1.27")));
        Assert.False(DeploymentUtil.EqualIgnoreHash(withHash, Template("nginx:1.26")));
    }

    [Fact]
    public void SetNewReplicaSetAnnotations_BroughtBackByARollback_KeepsTheOldRevisionInHistory()
    {
        var d = DeploymentObject(4);
        d.Metadata.Annotations = new Dictionary<string, string> { ["team"] = "a", ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" };
        var rs = ReplicaSetObject("old", "nginx:1.27", 0, 0, 1, 4, 5, 10);
        rs.Metadata.Annotations["deployment.kubernetes.io/revision-history"] = "";

        var changed = DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "3", exists: true);

        Assert.True(changed);
        Assert.Equal("3", rs.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/revision-history"]);
        Assert.Equal("a", rs.Metadata.Annotations["team"]);
        Assert.False(rs.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));

        DeploymentUtil.SetNewReplicaSetAnnotations(d, rs, "5", exists: true);
        Assert.Equal("1,3", rs.Metadata.Annotations["deployment.kubernetes.io/revision-history"]);
    }

    [Fact]
    public void DeploymentTimedOut_NoProgressForLongerThanTheDeadline_IsTrue()
    {
        var d = DeploymentObject(2);
        var status = new V1DeploymentStatus
        {
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", LastUpdateTime = Start }],
        };

        Assert.False(DeploymentUtil.DeploymentTimedOut(d, status, Start.AddSeconds(600)));
        Assert.True(DeploymentUtil.DeploymentTimedOut(d, status, Start.AddSeconds(601)));
    }
}
