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
        // The review APIs, as upstream's api-resources lists them: no short names, create only.
        Assert.Contains(rows, r => r is ["selfsubjectreviews", "authentication.k8s.io/v1", "false", "SelfSubjectReview"]);
        Assert.Contains(rows, r => r is ["localsubjectaccessreviews", "authorization.k8s.io/v1", "true", "LocalSubjectAccessReview"]);
        Assert.Contains(rows, r => r is ["selfsubjectaccessreviews", "authorization.k8s.io/v1", "false", "SelfSubjectAccessReview"]);
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

    [SkippableFact]
    public async Task DeleteNamespace_WithContent_RemovesContentThenTheNamespace()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("03-deployment.yaml"))).EnsureSuccess();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("10-configmap.yaml"))).EnsureSuccess();

        var deleted = await Kubectl.RunAsync("delete", "namespace", ns, "--timeout=30s");
        var gone = await Kubectl.RunAsync("get", "namespace", ns);

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains($"namespace \"{ns}\" deleted", deleted.Stdout, StringComparison.Ordinal);
        Assert.Contains($"namespaces \"{ns}\" not found", gone.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DeleteNamespace_ContentHeldByFinalizer_TerminatingWithoutGracePeriodUntilReleased()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        var held = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/keep]\n";
        (await Kubectl.RunWithInputAsync(held, "create", "-n", ns, "-f", "-")).EnsureSuccess();

        (await Kubectl.RunAsync("delete", "namespace", ns, "--wait=false")).EnsureSuccess();
        var terminating = (await Kubectl.RunAsync("get", "namespace", ns, "-o", "jsonpath={.status.phase}|{.metadata.deletionGracePeriodSeconds}|{.metadata.deletionTimestamp}")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "configmap", "held", "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}")).EnsureSuccess();
        var deleted = await Kubectl.RunAsync("wait", "--for=delete", "namespace/" + ns, "--timeout=30s");

        // Upstream's namespace Delete sets deletionTimestamp only: no deletionGracePeriodSeconds while spec.finalizers wait.
        var parts = terminating.Stdout.Split('|');
        Assert.Equal("Terminating", parts[0]);
        Assert.Equal("", parts[1]);
        Assert.NotEqual("", parts[2]);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
    }

    [SkippableFact]
    public async Task CreateSubcommands_ProtobufBodies_CreateTheObjects()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = $"pb-{Guid.NewGuid().ToString("N")[..8]}";

        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        (await Kubectl.RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cr3t")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "deployment", "web", "-n", ns, "--image=nginx:alpine", "--replicas=2")).EnsureSuccess();
        var values = (await Kubectl.RunAsync("get", "configmap", "settings", "-n", ns, "-o", "jsonpath={.data.mode}")).EnsureSuccess();
        var secret = (await Kubectl.RunAsync("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.type} {.data.password}")).EnsureSuccess();
        var replicas = (await Kubectl.RunAsync("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")).EnsureSuccess();

        Assert.Equal("fast", values.Stdout);
        Assert.Equal("Opaque " + Convert.ToBase64String("s3cr3t"u8.ToArray()), secret.Stdout);
        Assert.Equal("2", replicas.Stdout);
    }

    [SkippableFact]
    public async Task ScaleLabelPatch_Deployment_ChangeWhatUpstreamChanges()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("03-deployment.yaml"))).EnsureSuccess();

        (await Kubectl.RunAsync("scale", "deployment", "nginx-deployment", "-n", ns, "--replicas=5")).EnsureSuccess();
        (await Kubectl.RunAsync("label", "deployment", "nginx-deployment", "-n", ns, "tier=web")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "deployment", "nginx-deployment", "-n", ns, "-p", "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\"}]}}}}")).EnsureSuccess();
        var state = (await Kubectl.RunAsync("get", "deployment", "-n", ns, "-l", "tier=web", "-o", "jsonpath={.items[0].spec.replicas} {.items[0].spec.template.spec.containers[0].image} {.items[0].spec.template.spec.containers[0].env[0].name} {.items[0].metadata.generation}")).EnsureSuccess();
        var notSelected = (await Kubectl.RunAsync("get", "deployment", "-n", ns, "-l", "tier!=web", "-o", "name")).EnsureSuccess();

        // Strategic merge kept the container's env while changing its image; scale and patch each bumped generation.
        Assert.Equal("5 nginx:1.27 MI_VARIABLE 3", state.Stdout);
        Assert.Equal("", notSelected.Stdout.Trim());
    }

    [SkippableFact]
    public async Task GetWide_Pods_ShowsUpstreamColumns()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("01-pod.yaml"))).EnsureSuccess();

        var wide = (await Kubectl.RunAsync("get", "pods", "-n", ns, "-o", "wide")).EnsureSuccess();
        var services = (await Kubectl.RunAsync("get", "svc", "-n", "default")).EnsureSuccess();
        var byField = (await Kubectl.RunAsync("get", "pods", "-n", ns, "--field-selector", "status.phase=Pending", "-o", "name")).EnsureSuccess();

        var header = wide.Stdout.Split('\n')[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"], header);
        Assert.Contains("0/1     Pending", wide.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE", services.Stdout, StringComparison.Ordinal);
        Assert.Equal("pod/nginx", byField.Stdout.Trim());
    }

    [SkippableFact]
    public async Task Get_AllNamespacesByNameOrNamespaceFieldSelector_OnlyThoseObjects()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(TestCluster.ConfigMapYaml("settings"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var byName = (await Kubectl.RunAsync("get", "configmaps", "-A", "--field-selector", "metadata.name=kube-root-ca.crt", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}")).EnsureSuccess();
        var others = (await Kubectl.RunAsync("get", "configmaps", "-A", "--field-selector", $"metadata.namespace={ns},metadata.name!=kube-root-ca.crt", "-o", "name")).EnsureSuccess();

        var found = byName.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"{ns}/kube-root-ca.crt", found);
        Assert.Contains("kube-system/kube-root-ca.crt", found);
        Assert.All(found, item => Assert.EndsWith("/kube-root-ca.crt", item, StringComparison.Ordinal));
        Assert.Equal("configmap/settings", others.Stdout.Trim());
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
