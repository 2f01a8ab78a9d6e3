using System.Text.Json.Nodes;
using Timonel.Api.Quota;

namespace Timonel.Api.Tests.Quota;

/// <summary>What objects cost against a quota, as upstream's evaluators count it.</summary>
public sealed class QuotaEvaluatorTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Usage_Pod_SumsContainersAndTakesTheLargerInitContainer()
    {
        var pod = Json("""
            {"spec":{"initContainers":[{"name":"init","resources":{"requests":{"cpu":"2","memory":"64Mi"}}}],
             "containers":[{"name":"a","resources":{"requests":{"cpu":"250m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"128Mi"}}},
                           {"name":"b","resources":{"requests":{"cpu":"250m","memory":"128Mi"},"limits":{"memory":"256Mi"}}}]},
             "status":{"phase":"Pending"}}
            """);

        var usage = QuotaEvaluator.Usage(QuotaKind.Pods, pod, _now);

        Assert.Equal(
            "count/pods=1,cpu=2,limits.cpu=500m,limits.memory=384Mi,memory=256Mi,pods=1,requests.cpu=2,requests.memory=256Mi",
            ResourceList.Print(usage));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void Usage_TerminalPod_OnlyTheObjectCount(string phase)
    {
        var pod = Json("""{"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}]}}""");
        pod["status"] = new JsonObject { ["phase"] = phase };

        Assert.Equal("count/pods=1", ResourceList.Print(QuotaEvaluator.Usage(QuotaKind.Pods, pod, _now)));
    }

    [Fact]
    public void Constraints_QuotaOnCpuAndMemory_NamesContainersMissingThem()
    {
        var pod = Json("""{"spec":{"containers":[{"name":"nginx"},{"name":"sidecar","resources":{"requests":{"cpu":"1"}}}]}}""");

        var message = QuotaEvaluator.Constraints(QuotaKind.Pods, ["pods", "requests.cpu", "limits.memory"], pod);

        Assert.Equal("must specify limits.memory for: nginx,sidecar; requests.cpu for: nginx", message);
        Assert.Null(QuotaEvaluator.Constraints(QuotaKind.Pods, ["pods"], pod));
    }

    [Fact]
    public void Usage_Services_NodePortsAndLoadBalancers()
    {
        var nodePort = Json("""{"spec":{"type":"NodePort","ports":[{"port":80},{"port":443}]}}""");
        var balancer = Json("""{"spec":{"type":"LoadBalancer","ports":[{"port":80}]}}""");
        var clusterIp = Json("""{"spec":{"type":"ClusterIP","ports":[{"port":80}]}}""");

        Assert.Equal("count/services=1,services=1,services.loadbalancers=0,services.nodeports=2", ResourceList.Print(QuotaEvaluator.Usage(QuotaKind.Services, nodePort, _now)));
        Assert.Equal("count/services=1,services=1,services.loadbalancers=1,services.nodeports=1", ResourceList.Print(QuotaEvaluator.Usage(QuotaKind.Services, balancer, _now)));
        Assert.Equal("count/services=1,services=1,services.loadbalancers=0,services.nodeports=0", ResourceList.Print(QuotaEvaluator.Usage(QuotaKind.Services, clusterIp, _now)));
    }

    [Fact]
    public void Usage_Claim_ChargedToItsStorageClass()
    {
        var claim = Json("""{"spec":{"storageClassName":"gold","resources":{"requests":{"storage":"5Gi"}}}}""");

        Assert.Equal(
            "count/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/persistentvolumeclaims=1,gold.storageclass.storage.k8s.io/requests.storage=5Gi,persistentvolumeclaims=1,requests.storage=5Gi",
            ResourceList.Print(QuotaEvaluator.Usage(QuotaKind.PersistentVolumeClaims, claim, _now)));
    }

    [Fact]
    public void Usage_OtherKinds_ObjectCounts()
    {
        Assert.Equal("configmaps=1,count/configmaps=1", ResourceList.Print(QuotaEvaluator.Usage(new QuotaKind("", "configmaps"), [], _now)));
        Assert.Equal("count/deployments.apps=1", ResourceList.Print(QuotaEvaluator.Usage(new QuotaKind("apps", "deployments"), [], _now)));
    }

    [Fact]
    public void Matches_OnlyQuotasLimitingWhatTheKindUses()
    {
        var quota = Quota("""{"pods":"2"}""");

        Assert.True(QuotaEvaluator.Matches(quota, QuotaKind.Pods, []));
        Assert.False(QuotaEvaluator.Matches(quota, new QuotaKind("", "configmaps"), []));
        Assert.False(QuotaEvaluator.Matches(Quota("{}"), QuotaKind.Pods, []));
    }

    [Fact]
    public void Matches_Scopes_BestEffortTerminatingAndPriorityClass()
    {
        var bestEffort = Quota("""{"pods":"2"}""", """{"scopes":["BestEffort"]}""");
        var terminating = Quota("""{"pods":"2"}""", """{"scopes":["Terminating"]}""");
        var priority = Quota("""{"pods":"2"}""", """{"scopeSelector":{"matchExpressions":[{"scopeName":"PriorityClass","operator":"In","values":["high"]}]}}""");
        var plain = Json("""{"spec":{"containers":[{"name":"a"}]}}""");
        var burstable = Json("""{"spec":{"priorityClassName":"high","activeDeadlineSeconds":30,"containers":[{"name":"a","resources":{"requests":{"cpu":"1"}}}]}}""");

        Assert.True(QuotaEvaluator.Matches(bestEffort, QuotaKind.Pods, plain));
        Assert.False(QuotaEvaluator.Matches(bestEffort, QuotaKind.Pods, burstable));
        Assert.False(QuotaEvaluator.Matches(terminating, QuotaKind.Pods, plain));
        Assert.True(QuotaEvaluator.Matches(terminating, QuotaKind.Pods, burstable));
        Assert.False(QuotaEvaluator.Matches(priority, QuotaKind.Pods, plain));
        Assert.True(QuotaEvaluator.Matches(priority, QuotaKind.Pods, burstable));
        // A scoped quota applies to pods only.
        Assert.False(QuotaEvaluator.Matches(Quota("""{"count/configmaps":"2"}""", """{"scopes":["BestEffort"]}"""), new QuotaKind("", "configmaps"), []));
    }

    [Fact]
    public void KindsFor_HardNames_TheKindsToCount()
    {
        var kinds = QuotaEvaluator.KindsFor(["pods", "requests.cpu", "services.nodeports", "configmaps", "count/deployments.apps", "gold.storageclass.storage.k8s.io/requests.storage"]);

        Assert.Equal([QuotaKind.Pods, QuotaKind.Services, new QuotaKind("", "configmaps"), new QuotaKind("apps", "deployments"), QuotaKind.PersistentVolumeClaims], kinds);
    }

    [Fact]
    public void Exceeding_NamesOverTheirLimit()
    {
        var used = ResourceList.FromJson(Json("""{"pods":"3","requests.cpu":"500m","secrets":"1"}"""));
        var hard = ResourceList.FromJson(Json("""{"pods":"2","requests.cpu":"1"}"""));

        Assert.Equal(["pods"], ResourceList.Exceeding(used, hard));
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static JsonObject Quota(string hard, string spec = "{}")
    {
        var quota = new JsonObject { ["spec"] = JsonNode.Parse(spec), ["status"] = new JsonObject { ["hard"] = JsonNode.Parse(hard) } };
        quota["spec"]!["hard"] = JsonNode.Parse(hard);
        return quota;
    }
}
