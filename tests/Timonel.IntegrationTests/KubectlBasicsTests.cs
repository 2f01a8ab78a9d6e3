namespace Timonel.IntegrationTests;

/// <summary>The everyday kubectl verbs against a fresh cluster; run on each datastore by the derived classes.</summary>
public abstract class KubectlBasicsTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected KubectlBasicsTests(TFixture fixture) => _fixture = fixture;

    private TestCluster Cluster => _fixture.Cluster;

    private Kubectl Kubectl => Cluster.Kubectl;

    [SkippableFact]
    public async Task GetNamespaces_FreshCluster_ListsTheSystemNamespaces()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var result = (await Kubectl.RunAsync("get", "namespaces", "-o", "name")).EnsureSuccess();

        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Assert.Contains($"namespace/{ns}", result.Stdout, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task ApiResources_BuiltInKinds_AreDiscoverableWithShortNames()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var result = (await Kubectl.RunAsync("api-resources", "--no-headers")).EnsureSuccess();
        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();

        Assert.Contains(rows, r => r[0] == "pods" && r[1] == "po" && r[^1] == "Pod");
        Assert.Contains(rows, r => r[0] == "deployments" && r[1] == "deploy" && r[2] == "apps/v1");
        Assert.Contains(rows, r => r[0] == "ingresses" && r[1] == "ing" && r[2] == "networking.k8s.io/v1");
        Assert.Contains(rows, r => r[0] == "customresourcedefinitions" && r[1] == "crd,crds");
    }

    [SkippableFact]
    public async Task CreateGetDelete_PodFromExample_RoundTrips()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();
        var json = (await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.metadata.uid} {.metadata.resourceVersion} {.metadata.creationTimestamp} {.spec.containers[0].image}")).EnsureSuccess();
        var deleted = (await Kubectl.RunAsync("delete", "pod", "nginx", "-n", ns)).EnsureSuccess();
        var missing = await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns);

        var fields = json.Stdout.Split(' ');
        Assert.True(Guid.TryParse(fields[0], out _), json.Stdout);
        Assert.True(long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.EndsWith("Z", fields[2], StringComparison.Ordinal);
        Assert.Equal("nginx:alpine", fields[3]);
        Assert.Contains("pod \"nginx\" deleted", deleted.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"nginx\" not found", missing.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Create_Twice_AnswersAlreadyExists()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();

        (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("twice"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        var second = await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("twice"), "create", "-n", ns, "-f", "-");

        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("Error from server (AlreadyExists)", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("configmaps \"twice\" already exists", second.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Create_InMissingNamespace_AnswersNamespaceNotFound()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var result = await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("orphan"), "create", "-n", "no-such-namespace", "-f", "-");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("namespaces \"no-such-namespace\" not found", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetWithChunkSize_ManyObjects_PagesThroughAll()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml($"page-{i}"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
        }

        var result = (await Kubectl.RunAsync("get", "configmaps", "-n", ns, "--chunk-size=2", "-o", "name", "-v=6")).EnsureSuccess();

        var names = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.StartsWith("configmap/page-", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, names.Count);
        Assert.Contains("continue=", result.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetWatch_ObjectCreatedLater_IsStreamed()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        using var watch = Kubectl.Start("get", "configmaps", "-n", ns, "-w", "-o", "name");
        try
        {
            await Task.Delay(500);
            (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("watched"), "create", "-n", ns, "-f", "-")).EnsureSuccess();
            var line = await ReadLineContainingAsync(watch.StandardOutput, "configmap/watched", TimeSpan.FromSeconds(20));

            Assert.Equal("configmap/watched", line);
        }
        finally
        {
            watch.Kill();
        }
    }

    [SkippableFact]
    public async Task Delete_ByFile_RemovesTheObject()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("create", "-n", ns, "-f", Examples.File("10-configmap.yaml"))).EnsureSuccess();

        var deleted = (await Kubectl.RunAsync("delete", "-n", ns, "-f", Examples.File("10-configmap.yaml"))).EnsureSuccess();
        var remaining = (await Kubectl.RunAsync("get", "configmaps", "-n", ns, "-o", "name")).EnsureSuccess();

        Assert.Contains("configmap \"game-demo\" deleted", deleted.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("game-demo", remaining.Stdout, StringComparison.Ordinal);
    }

    private static async Task<string?> ReadLineContainingAsync(StreamReader reader, string text, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (await reader.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line.Trim();
            }
        }

        return null;
    }
}

public sealed class KubectlBasicsTestsOnSqlite : KubectlBasicsTests<SqliteClusterFixture>
{
    public KubectlBasicsTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class KubectlBasicsTestsOnEtcd : KubectlBasicsTests<EtcdClusterFixture>
{
    public KubectlBasicsTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
