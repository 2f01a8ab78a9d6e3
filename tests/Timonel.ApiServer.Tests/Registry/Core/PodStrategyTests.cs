using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Core;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class PodStrategyTests
{
    private static readonly JsonObject _createdPod = StoreSteps.Create("", Examples.Load("02-pod-env-resources-probes.yaml", "Pod"));

    [Theory]
    [InlineData("spec/restartPolicy", "\"Always\"")]
    [InlineData("spec/dnsPolicy", "\"ClusterFirst\"")]
    [InlineData("spec/schedulerName", "\"default-scheduler\"")]
    [InlineData("spec/terminationGracePeriodSeconds", "30")]
    [InlineData("spec/securityContext", "{}")]
    [InlineData("spec/enableServiceLinks", "true")]
    [InlineData("spec/preemptionPolicy", "\"PreemptLowerPriority\"")]
    [InlineData("spec/priority", "0")]
    [InlineData("spec/serviceAccountName", "\"default\"")]
    [InlineData("spec/serviceAccount", "\"default\"")]
    [InlineData("spec/tolerations/0", "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}")]
    [InlineData("spec/tolerations/1", "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}")]
    [InlineData("spec/containers/0/imagePullPolicy", "\"IfNotPresent\"")]
    [InlineData("spec/containers/0/terminationMessagePath", "\"/dev/termination-log\"")]
    [InlineData("spec/containers/0/terminationMessagePolicy", "\"File\"")]
    [InlineData("spec/containers/0/ports/0/protocol", "\"TCP\"")]
    [InlineData("spec/containers/0/env/2/valueFrom/fieldRef", "{\"fieldPath\":\"status.hostIP\",\"apiVersion\":\"v1\"}")]
    [InlineData("spec/containers/0/readinessProbe/httpGet/scheme", "\"HTTP\"")]
    [InlineData("spec/containers/0/readinessProbe/timeoutSeconds", "1")]
    [InlineData("spec/containers/0/readinessProbe/successThreshold", "1")]
    [InlineData("spec/containers/0/readinessProbe/failureThreshold", "3")]
    [InlineData("spec/containers/0/readinessProbe/periodSeconds", "10")]
    [InlineData("spec/containers/0/livenessProbe/periodSeconds", "20")]
    [InlineData("spec/containers/0/resources/requests/cpu", "\"200m\"")]
    [InlineData("status", "{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}")]
    [InlineData("metadata/generation", "1")]
    public void Create_ExamplePod_HasUpstreamDefaults(string path, string expected) =>
        Assert.Equal(expected, JsonPath.Json(_createdPod, path));

    [Fact]
    public void Create_PodAffinityLabelKeys_AreMergedIntoTheLabelSelector()
    {
        var pod = Examples.Parse("""
            kind: Pod
            metadata: {name: p, labels: {app: web, pod-template-hash: abc}}
            spec:
              containers: [{name: c, image: busybox}]
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                  - labelSelector: {matchLabels: {app: web}}
                    topologyKey: kubernetes.io/hostname
                    matchLabelKeys: [pod-template-hash, missing]
                    mismatchLabelKeys: [app]
                podAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 10
                    podAffinityTerm: {topologyKey: zone, matchLabelKeys: [app]}
            """);

        var created = StoreSteps.Create("", pod);

        Assert.Equal(
            "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"pod-template-hash\",\"operator\":\"In\",\"values\":[\"abc\"]},{\"key\":\"app\",\"operator\":\"NotIn\",\"values\":[\"web\"]}]}",
            JsonPath.Json(created, "spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/labelSelector"));
        // A term without a labelSelector selects nothing: upstream leaves it so.
        Assert.Null(JsonPath.Get(created, "spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/labelSelector"));
    }

    [Fact]
    public void Create_ClientStatus_IsReplacedByPending()
    {
        var pod = Examples.Load("01-pod.yaml", "Pod");
        pod["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "10.42.0.9" };

        var created = StoreSteps.Create("", pod);

        Assert.Equal("{\"phase\":\"Pending\",\"qosClass\":\"BestEffort\"}", created["status"]!.ToJsonString());
    }

    [Fact]
    public void Create_ExistingNotReadyToleration_IsNotDuplicated()
    {
        var pod = Examples.Parse("""
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: c, image: busybox}]
              tolerations:
              - {key: node.kubernetes.io/not-ready, operator: Exists}
            """);

        var created = StoreSteps.Create("", pod);

        var keys = created["spec"]!["tolerations"]!.AsArray().Select(t => (string?)t!["key"]).ToList();
        Assert.Equal(["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"], keys);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:alpine", "IfNotPresent")]
    [InlineData("localhost:5000/nginx", "Always")]
    [InlineData("localhost:5000/nginx:1.2", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public void ApplyDefaults_ImagePullPolicy_FollowsTag(string image, string expected)
    {
        var pod = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }) } };

        StoreSteps.For("", "Pod").ApplyDefaults(pod);

        Assert.Equal(expected, JsonPath.Get(pod, "spec/containers/0/imagePullPolicy")?.GetValue<string>());
    }

    [Theory]
    [InlineData("{}", "BestEffort")]
    [InlineData("{\"requests\":{\"cpu\":\"100m\"}}", "Burstable")]
    [InlineData("{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}", "Guaranteed")]
    [InlineData("{\"requests\":{\"cpu\":\"0.5\",\"memory\":\"134217728\"},\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}", "Guaranteed")]
    [InlineData("{\"requests\":{\"cpu\":\"200m\",\"memory\":\"128Mi\"},\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}", "Burstable")]
    [InlineData("{\"limits\":{\"cpu\":\"1\"}}", "Burstable")]
    [InlineData("{\"requests\":{\"ephemeral-storage\":\"1Gi\"}}", "BestEffort")]
    public void Create_Resources_GiveQosClass(string resources, string expected)
    {
        var pod = new JsonObject
        {
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "p" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox", ["resources"] = JsonNode.Parse(resources) }) },
        };

        var created = StoreSteps.Create("", pod);

        Assert.Equal(expected, JsonPath.Get(created, "status/qosClass")?.GetValue<string>());
    }

    [Theory]
    [InlineData("", "Running", null, 30L, 0L)]
    [InlineData("node-1", "Running", null, 30L, 30L)]
    [InlineData("node-1", "Running", 5L, 30L, 5L)]
    [InlineData("node-1", "Running", 0L, 30L, 0L)]
    [InlineData("node-1", "Succeeded", null, 30L, 0L)]
    [InlineData("node-1", "Failed", 10L, 30L, 0L)]
    [InlineData("node-1", "Running", -1L, 30L, 1L)]
    public void GracePeriodSeconds_PodState_AsUpstream(string nodeName, string phase, long? requested, long terminationGrace, long expected)
    {
        var pod = new JsonObject
        {
            ["spec"] = new JsonObject { ["nodeName"] = nodeName, ["terminationGracePeriodSeconds"] = terminationGrace },
            ["status"] = new JsonObject { ["phase"] = phase },
        };

        var graceful = Assert.IsAssignableFrom<IGracefulDeletionStrategy>(StoreSteps.For("", "Pod"));

        Assert.Equal(expected, graceful.GracePeriodSeconds(pod, requested));
    }

    [Theory]
    [InlineData("spec.nodeName", "node-1")]
    [InlineData("spec.restartPolicy", "Always")]
    [InlineData("spec.schedulerName", "default-scheduler")]
    [InlineData("spec.serviceAccountName", "default")]
    [InlineData("spec.hostNetwork", "false")]
    [InlineData("status.phase", "Running")]
    [InlineData("status.podIP", "10.42.0.7")]
    [InlineData("status.nominatedNodeName", "")]
    [InlineData("spec.containers", null)]
    public void GetSelectableField_Pod_AsUpstream(string field, string? expected)
    {
        var pod = StoreSteps.Create("", Examples.Load("01-pod.yaml", "Pod"));
        pod["spec"]!["nodeName"] = "node-1";
        pod["status"] = new JsonObject { ["phase"] = "Running", ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.42.0.7" }) };

        Assert.Equal(expected, StoreSteps.For("", "Pod").GetSelectableField(pod, field));
    }
}
