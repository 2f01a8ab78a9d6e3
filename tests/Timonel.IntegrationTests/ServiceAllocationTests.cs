using System.Net;

namespace Timonel.IntegrationTests;

/// <summary>ClusterIPs and NodePorts handed out as upstream does, seen through kubectl.</summary>
public abstract class ServiceAllocationTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected ServiceAllocationTests(TFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task KubernetesService_FreshCluster_HasFirstServiceIp()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var result = (await Kubectl.RunAsync("get", "service", "kubernetes", "-n", "default", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].port}")).EnsureSuccess();

        Assert.Equal("10.43.0.1 443", result.Stdout);
    }

    [SkippableFact]
    public async Task CreateService_WithoutClusterIp_GetsAnAddressFromTheServiceCidr()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("06-service-clusterip.yaml"))).EnsureSuccess();

        var ip = (await Kubectl.RunAsync("get", "service", "hello", "-n", ns, "-o", "jsonpath={.spec.clusterIP}")).EnsureSuccess().Stdout;

        Assert.True(IPAddress.TryParse(ip, out var address), ip);
        Assert.True(IPNetwork.Parse("10.43.0.0/16").Contains(address), ip);
        Assert.NotEqual("10.43.0.1", ip);
    }

    [SkippableFact]
    public async Task CreateNodePortService_PortTaken_IsRefusedUntilReleased()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var first = await _fixture.Cluster.CreateNamespaceAsync();
        var second = await _fixture.Cluster.CreateNamespaceAsync();

        (await Kubectl.RunAsync("create", "-n", first, "-f", Examples.File("07-service-nodeport.yaml"))).EnsureSuccess();
        var nodePort = (await Kubectl.RunAsync("get", "service", "hello", "-n", first, "-o", "jsonpath={.spec.ports[0].nodePort}")).EnsureSuccess().Stdout;
        var refused = await Kubectl.RunAsync("create", "-n", second, "-f", Examples.File("07-service-nodeport.yaml"));
        (await Kubectl.RunAsync("delete", "service", "hello", "-n", first)).EnsureSuccess();
        var retried = await Kubectl.RunAsync("create", "-n", second, "-f", Examples.File("07-service-nodeport.yaml"));

        Assert.Equal("30000", nodePort);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Service \"hello\" is invalid: spec.ports[0].nodePort: Invalid value: 30000: provided port is already allocated", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("service/hello created", retried.Stdout, StringComparison.Ordinal);
    }
}

public sealed class ServiceAllocationTestsOnSqlite : ServiceAllocationTests<SqliteClusterFixture>
{
    public ServiceAllocationTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class ServiceAllocationTestsOnEtcd : ServiceAllocationTests<EtcdClusterFixture>
{
    public ServiceAllocationTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
