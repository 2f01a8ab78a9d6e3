using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry.Core;

public sealed class ServiceStrategyTests
{
    [Theory]
    [InlineData("06-service-clusterip.yaml", "spec/type", "\"ClusterIP\"")]
    [InlineData("06-service-clusterip.yaml", "spec/sessionAffinity", "\"None\"")]
    [InlineData("06-service-clusterip.yaml", "spec/ports/0", "{\"port\":8080,\"targetPort\":8080,\"protocol\":\"TCP\"}")]
    [InlineData("06-service-clusterip.yaml", "spec/ipFamilyPolicy", "\"SingleStack\"")]
    [InlineData("06-service-clusterip.yaml", "spec/ipFamilies", "[\"IPv4\"]")]
    [InlineData("06-service-clusterip.yaml", "spec/internalTrafficPolicy", "\"Cluster\"")]
    [InlineData("06-service-clusterip.yaml", "spec/externalTrafficPolicy", "missing")]
    [InlineData("06-service-clusterip.yaml", "spec/allocateLoadBalancerNodePorts", "missing")]
    [InlineData("06-service-clusterip.yaml", "status", "{\"loadBalancer\":{}}")]
    [InlineData("06-service-clusterip.yaml", "metadata/generation", "missing")]
    [InlineData("07-service-nodeport.yaml", "spec/externalTrafficPolicy", "\"Cluster\"")]
    [InlineData("07-service-nodeport.yaml", "spec/ports/0/nodePort", "30000")]
    [InlineData("08-service-loadbalancer.yaml", "spec/externalTrafficPolicy", "\"Cluster\"")]
    [InlineData("08-service-loadbalancer.yaml", "spec/allocateLoadBalancerNodePorts", "true")]
    public void Create_ExampleService_HasUpstreamDefaults(string file, string path, string expected) =>
        Assert.Equal(expected, JsonPath.Json(StoreSteps.Create("", Examples.Load(file, "Service")), path));

    [Theory]
    [InlineData("{\"port\":80}", "{\"port\":80,\"protocol\":\"TCP\",\"targetPort\":80}")]
    [InlineData("{\"port\":80,\"targetPort\":\"http\",\"protocol\":\"UDP\"}", "{\"port\":80,\"targetPort\":\"http\",\"protocol\":\"UDP\"}")]
    [InlineData("{\"port\":80,\"targetPort\":0}", "{\"port\":80,\"targetPort\":80,\"protocol\":\"TCP\"}")]
    public void ApplyDefaults_Port_TargetPortDefaultsToPort(string port, string expected)
    {
        var svc = new JsonObject { ["spec"] = new JsonObject { ["ports"] = new JsonArray(JsonNode.Parse(port)) } };

        StoreSteps.For("", "Service").ApplyDefaults(svc);

        Assert.Equal(expected, JsonPath.Json(svc, "spec/ports/0"));
    }

    [Fact]
    public void ApplyDefaults_HeadlessWithoutSelector_RequiresDualStack()
    {
        var svc = JsonNode.Parse("{\"spec\":{\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}}")!.AsObject();

        StoreSteps.For("", "Service").ApplyDefaults(svc);

        Assert.Equal("\"RequireDualStack\"", JsonPath.Json(svc, "spec/ipFamilyPolicy"));
    }

    [Fact]
    public void ApplyDefaults_ClientIpAffinity_GetsThreeHourTimeout()
    {
        var svc = JsonNode.Parse("{\"spec\":{\"sessionAffinity\":\"ClientIP\"}}")!.AsObject();

        StoreSteps.For("", "Service").ApplyDefaults(svc);

        Assert.Equal("{\"clientIP\":{\"timeoutSeconds\":10800}}", JsonPath.Json(svc, "spec/sessionAffinityConfig"));
    }

    [Theory]
    [InlineData("{\"type\":\"ClusterIP\",\"clusterIPs\":[\"10.43.0.10\"],\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}],\"selector\":{\"b\":\"2\",\"a\":\"1\"}}", "{}", "ClusterIP", "10.43.0.10", "<none>", "80/TCP", "a=1,b=2")]
    [InlineData("{\"type\":\"NodePort\",\"clusterIPs\":[\"10.43.0.11\"],\"ports\":[{\"port\":8080,\"nodePort\":30000,\"protocol\":\"TCP\"},{\"port\":53,\"protocol\":\"UDP\"}]}", "{}", "NodePort", "10.43.0.11", "<none>", "8080:30000/TCP,53/UDP", "<none>")]
    [InlineData("{\"type\":\"LoadBalancer\",\"clusterIPs\":[\"10.43.0.12\"],\"ports\":[{\"port\":8080,\"nodePort\":31000,\"protocol\":\"TCP\"}]}", "{\"loadBalancer\":{}}", "LoadBalancer", "10.43.0.12", "<pending>", "8080:31000/TCP", "<none>")]
    [InlineData("{\"type\":\"LoadBalancer\",\"clusterIPs\":[\"10.43.0.12\"],\"ports\":[]}", "{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.168.1.20\"},{\"ip\":\"192.168.1.10\"},{\"hostname\":\"lb.example.com\"}]}}", "LoadBalancer", "10.43.0.12", "192.168.1.10,192.168.1.20,lb.example.com", "<none>", "<none>")]
    [InlineData("{\"type\":\"ClusterIP\",\"clusterIPs\":[\"None\"],\"externalIPs\":[\"1.2.3.4\"]}", "{}", "ClusterIP", "None", "1.2.3.4", "<none>", "<none>")]
    [InlineData("{\"type\":\"ExternalName\",\"externalName\":\"db.example.com\"}", "{}", "ExternalName", "<none>", "db.example.com", "<none>", "<none>")]
    public void Cells_Service_AsKubectlGetSvcWide(string spec, string status, string type, string clusterIp, string externalIp, string ports, string selector)
    {
        var svc = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "s", ["creationTimestamp"] = "2026-01-02T03:04:05Z" },
            ["spec"] = JsonNode.Parse(spec),
            ["status"] = JsonNode.Parse(status),
        };

        var cells = StoreSteps.For("", "Service").Columns.Select(c => c.Cell(svc, new TableContext(StoreSteps.Created.AddDays(3)))?.ToString());

        Assert.Equal(["s", type, clusterIp, externalIp, ports, "3d", selector], cells);
    }

    [Theory]
    [InlineData("spec.type", "NodePort")]
    [InlineData("spec.clusterIP", "10.43.0.5")]
    [InlineData("spec.ports", null)]
    public void GetSelectableField_Service_AsUpstream(string field, string? expected)
    {
        var svc = JsonNode.Parse("{\"spec\":{\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.5\"}}")!.AsObject();

        Assert.Equal(expected, StoreSteps.For("", "Service").GetSelectableField(svc, field));
    }
}
