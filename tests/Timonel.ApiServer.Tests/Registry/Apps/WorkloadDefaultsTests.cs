using System.Text.Json.Nodes;

namespace Timonel.ApiServer.Tests.Registry.Apps;

public sealed class WorkloadDefaultsTests
{
    [Theory]
    [InlineData("03-deployment.yaml", "Deployment", "spec/replicas", "2")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/strategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}}")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/revisionHistoryLimit", "10")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/progressDeadlineSeconds", "600")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/template/spec/restartPolicy", "\"Always\"")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/template/spec/containers/0/imagePullPolicy", "\"IfNotPresent\"")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/template/spec/containers/0/readinessProbe/httpGet/scheme", "\"HTTP\"")]
    // Pod-only defaults stay off templates, as upstream (SetDefaults_Pod is not applied to PodTemplateSpec).
    [InlineData("03-deployment.yaml", "Deployment", "spec/template/spec/enableServiceLinks", "missing")]
    [InlineData("03-deployment.yaml", "Deployment", "spec/template/spec/tolerations", "missing")]
    [InlineData("03-deployment.yaml", "Deployment", "metadata/generation", "1")]
    [InlineData("04-daemonset.yaml", "DaemonSet", "spec/updateStrategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":1,\"maxSurge\":0}}")]
    [InlineData("04-daemonset.yaml", "DaemonSet", "spec/revisionHistoryLimit", "10")]
    [InlineData("04-daemonset.yaml", "DaemonSet", "spec/template/spec/schedulerName", "\"default-scheduler\"")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/podManagementPolicy", "\"OrderedReady\"")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/updateStrategy", "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/persistentVolumeClaimRetentionPolicy", "{\"whenDeleted\":\"Retain\",\"whenScaled\":\"Retain\"}")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/revisionHistoryLimit", "10")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/volumeClaimTemplates/0/spec/volumeMode", "\"Filesystem\"")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/volumeClaimTemplates/0/status", "{\"phase\":\"Pending\"}")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/volumeClaimTemplates/0/kind", "\"PersistentVolumeClaim\"")]
    [InlineData("05-statefulset.yaml", "StatefulSet", "spec/template/spec/containers/0/imagePullPolicy", "\"Always\"")]
    public void Create_ExampleWorkload_HasUpstreamDefaults(string file, string kind, string path, string expected) =>
        Assert.Equal(expected, JsonPath.Json(StoreSteps.Create("apps", Examples.Load(file, kind)), path));

    [Fact]
    public void Create_ReplicaSetWithoutReplicas_GetsOne()
    {
        var rs = Examples.Parse("""
            kind: ReplicaSet
            metadata: {name: rs}
            spec:
              selector: {matchLabels: {app: a}}
              template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: busybox}]}}
            """);

        Assert.Equal("1", JsonPath.Json(StoreSteps.Create("apps", rs), "spec/replicas"));
    }

    [Theory]
    [InlineData("{\"replicas\":3}", "{}", 1L)]
    [InlineData("{\"replicas\":2}", "{}", 2L)]
    [InlineData("{\"replicas\":2}", "{\"note\":\"x\"}", 2L)]
    public void PrepareForUpdate_Deployment_BumpsGenerationOnSpecOrAnnotationChange(string spec, string annotations, long expected)
    {
        var old = JsonNode.Parse("{\"metadata\":{\"name\":\"d\",\"generation\":1,\"annotations\":{}},\"spec\":{\"replicas\":3},\"status\":{\"replicas\":3}}")!.AsObject();
        var updated = JsonNode.Parse($"{{\"metadata\":{{\"name\":\"d\",\"generation\":1,\"annotations\":{annotations}}},\"spec\":{spec}}}")!.AsObject();
        var strategy = StoreSteps.For("apps", "Deployment");

        strategy.PrepareForUpdate(updated, old);

        Assert.Equal(expected, (long)updated["metadata"]!["generation"]!);
        Assert.Equal("{\"replicas\":3}", updated["status"]!.ToJsonString());
    }

    [Theory]
    [InlineData("Deployment", "{\"deployment.kubernetes.io/revision\":\"2\"}")]
    [InlineData("ReplicaSet", "{}")]
    public void StatusUpdate_ChangedAnnotations_KeptForDeploymentsOnly(string kind, string expected)
    {
        // Upstream's deploymentStatusStrategy keeps metadata but labels: the controller sets the revision that way.
        var old = JsonNode.Parse("{\"metadata\":{\"name\":\"d\",\"generation\":1,\"annotations\":{},\"labels\":{\"a\":\"1\"}},\"spec\":{\"replicas\":3}}")!.AsObject();
        var updated = JsonNode.Parse("{\"metadata\":{\"name\":\"d\",\"generation\":1,\"annotations\":{\"deployment.kubernetes.io/revision\":\"2\"},\"labels\":{\"a\":\"2\"}},\"spec\":{\"replicas\":5},\"status\":{\"replicas\":3}}")!.AsObject();
        var strategy = new Timonel.ApiServer.Registry.StatusStrategy(StoreSteps.For("apps", kind));

        strategy.PrepareForUpdate(updated, old);

        Assert.Equal(expected, updated["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal("{\"a\":\"1\"}", updated["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("{\"replicas\":3}", updated["spec"]!.ToJsonString());
        Assert.Equal("{\"replicas\":3}", updated["status"]!.ToJsonString());
    }
}
