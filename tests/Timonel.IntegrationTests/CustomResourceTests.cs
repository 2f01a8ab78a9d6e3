namespace Timonel.IntegrationTests;

/// <summary>CustomResourceDefinitions and their custom resources, served as kube-apiserver serves them.</summary>
public abstract class CustomResourceTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private const string CronTabDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: crontabs.stable.example.com
        spec:
          group: stable.example.com
          scope: Namespaced
          names:
            plural: crontabs
            singular: crontab
            kind: CronTab
            shortNames: [ct]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            additionalPrinterColumns:
            - name: Spec
              type: string
              jsonPath: .spec.cronSpec
            - name: Replicas
              type: integer
              jsonPath: .spec.replicas
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [cronSpec]
                    properties:
                      cronSpec:
                        type: string
                        pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'
                      image:
                        type: string
                      replicas:
                        type: integer
                        minimum: 1
                        maximum: 10
                        default: 1
                  status:
                    type: object
                    properties:
                      phase:
                        type: string
        """;

    private readonly TFixture _fixture;

    protected CustomResourceTests(TFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task CustomResource_FullLifecycle_BehavesAsUpstream()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(CronTabDefinition, "apply", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=established", "crd/crontabs.stable.example.com", "--timeout=20s")).EnsureSuccess();

        var created = await Kubectl.RunWithInputAsync(CronTab("nightly", "\"*/5 * * * *\""), "apply", "-n", ns, "-f", "-");
        var table = (await Kubectl.RunAsync("get", "ct", "-n", ns)).EnsureSuccess();
        var defaulted = (await Kubectl.RunAsync("get", "crontab", "nightly", "-n", ns, "-o", "jsonpath={.spec.replicas} {.metadata.generation}")).EnsureSuccess();
        var invalid = await Kubectl.RunWithInputAsync(CronTab("broken", "\"every minute\"", "replicas: 50"), "apply", "-n", ns, "-f", "-");
        var unknown = await Kubectl.RunWithInputAsync(CronTab("typo", "\"* * * * *\"", "imagee: x"), "apply", "-n", ns, "-f", "-");
        (await Kubectl.RunAsync("patch", "crontab", "nightly", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Running\"}}")).EnsureSuccess();
        var afterStatus = (await Kubectl.RunAsync("get", "crontab", "nightly", "-n", ns, "-o", "jsonpath={.status.phase} {.metadata.generation}")).EnsureSuccess();

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("NAME      SPEC          REPLICAS\n", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("nightly   */5 * * * *   1", table.Stdout, StringComparison.Ordinal);
        Assert.Equal("1 1", defaulted.Stdout);
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("The CronTab \"broken\" is invalid", invalid.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.replicas: Invalid value: 50: spec.replicas in body should be less than or equal to 10", invalid.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("unknown field \"spec.imagee\"", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal("Running 1", afterStatus.Stdout);
    }

    [SkippableFact]
    public async Task DeleteDefinition_WithResources_RemovesThemAndTheApi()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var definition = CronTabDefinition.Replace("crontabs", "backups", StringComparison.Ordinal).Replace("CronTab", "Backup", StringComparison.Ordinal)
            .Replace("crontab", "backup", StringComparison.Ordinal).Replace("[ct]", "[bk]", StringComparison.Ordinal);
        (await Kubectl.RunWithInputAsync(definition, "apply", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=established", "crd/backups.stable.example.com", "--timeout=20s")).EnsureSuccess();
        (await Kubectl.RunWithInputAsync(CronTab("weekly", "\"0 0 * * 0\"").Replace("CronTab", "Backup", StringComparison.Ordinal), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var deleted = await Kubectl.RunAsync("delete", "crd", "backups.stable.example.com", "--timeout=30s");
        var gone = await Kubectl.RunAsync("get", "backups", "-n", ns);
        (await Kubectl.RunWithInputAsync(definition, "apply", "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("wait", "--for=condition=established", "crd/backups.stable.example.com", "--timeout=20s")).EnsureSuccess();
        var recreated = (await Kubectl.RunAsync("get", "backups", "-n", ns, "-o", "name")).EnsureSuccess();

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.Stderr, StringComparison.Ordinal);
        // The old resources went with their definition: a new definition starts empty.
        Assert.Equal("", recreated.Stdout.Trim());
    }

    private static string CronTab(string name, string cronSpec, string extra = "") => $"""
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata:
          name: {name}
        spec:
          cronSpec: {cronSpec}
          image: my-cron-image
          {extra}
        """;
}

public sealed class CustomResourceTestsOnSqlite : CustomResourceTests<SqliteClusterFixture>
{
    public CustomResourceTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class CustomResourceTestsOnEtcd : CustomResourceTests<EtcdClusterFixture>
{
    public CustomResourceTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
