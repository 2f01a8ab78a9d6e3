namespace Timonel.IntegrationTests;

/// <summary>
/// Server-side apply as a user drives it with the real kubectl: field ownership, conflicts with other managers and
/// --force-conflicts, fields dropped from the manifest, the move from client-side apply, and server dry runs.
/// </summary>
public abstract class ServerSideApplyTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected ServerSideApplyTests(TFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableFact]
    public async Task Apply_AfterKubectlScale_ConflictsOnReplicasUntilForced()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var deployment = Examples.File("03-deployment.yaml");
        (await Kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", deployment)).EnsureSuccess();
        (await Kubectl.RunAsync("scale", "-n", ns, "deployment/nginx-deployment", "--replicas=5")).EnsureSuccess();

        var conflict = await Kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", deployment);
        var scaled = await ReplicasAsync(ns);
        var forced = await Kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", deployment);

        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal("5", scaled);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("2", await ReplicasAsync(ns));
    }

    [SkippableFact]
    public async Task Apply_FieldsLeftOutOfTheManifest_AreRemovedButOtherManagersFieldsStay()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(ConfigMap("{a: '1', b: '2'}"), "apply", "--server-side", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("label", "-n", ns, "configmap/settings", "team=ops")).EnsureSuccess();

        (await Kubectl.RunWithInputAsync(ConfigMap("{a: '1'}"), "apply", "--server-side", "-n", ns, "-f", "-")).EnsureSuccess();
        var data = (await Kubectl.RunAsync("get", "-n", ns, "configmap/settings", "-o", "jsonpath={.data}")).EnsureSuccess().Stdout;
        var labels = (await Kubectl.RunAsync("get", "-n", ns, "configmap/settings", "-o", "jsonpath={.metadata.labels}")).EnsureSuccess().Stdout;
        var managers = (await Kubectl.RunAsync("get", "-n", ns, "configmap/settings", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}")).EnsureSuccess().Stdout;

        Assert.Equal("{\"a\":\"1\"}", data);
        Assert.Equal("{\"team\":\"ops\"}", labels);
        Assert.Equal("kubectl kubectl-label", managers);
    }

    [SkippableFact]
    public async Task Apply_ServerSideAfterClientSide_TakesOverWithoutConflicts()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        // A Deployment and a Service, neither with a defaulted member inside an atomic value (see the next test).
        var manifest = Examples.File("06-service-clusterip.yaml");
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", manifest)).EnsureSuccess();
        await Settled.ReadAsync(async () => (await Kubectl.RunAsync("get", "-n", ns, "-f", manifest, "-o", "jsonpath={.items[*].metadata.resourceVersion}")).Stdout);

        var serverSide = await Kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", manifest);
        var managers = (await Kubectl.RunAsync("get", "-n", ns, "deployments,services", "--show-managed-fields", "-o", "jsonpath={.items[*].metadata.managedFields[*].manager}")).EnsureSuccess().Stdout;

        Assert.True(serverSide.ExitCode == 0, serverSide.ToString());
        // kubectl moves the client-side applier's fields to its server-side manager by rewriting managedFields.
        Assert.DoesNotContain("kubectl-client-side-apply", managers, StringComparison.Ordinal);
        Assert.Contains("kubectl", managers.Split(' '));
    }

    // ObjectFieldSelector is +structType=atomic upstream and its apiVersion is defaulted: the live fieldRef
    // ({apiVersion: v1, fieldPath}) no longer equals the last-applied one ({fieldPath}), so upstream's lastAppliedManager
    // does not count it among the client-side applier's fields, and replacing it whole is a conflict until forced.
    [SkippableFact]
    public async Task Apply_ServerSideAfterClientSide_DefaultedAtomicFieldRef_ConflictsUntilForced()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        var deployment = Examples.File("03-deployment.yaml");
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", deployment)).EnsureSuccess();

        var serverSide = await Kubectl.RunAsync("apply", "--server-side", "-n", ns, "-f", deployment);
        var forced = await Kubectl.RunAsync("apply", "--server-side", "--force-conflicts", "-n", ns, "-f", deployment);
        var managers = (await Kubectl.RunAsync("get", "-n", ns, "deployment/nginx-deployment", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}")).EnsureSuccess().Stdout;
        var fieldRef = (await Kubectl.RunAsync("get", "-n", ns, "deployment/nginx-deployment", "-o", "jsonpath={.spec.template.spec.containers[0].env[?(@.name==\"DD_AGENT_HOST\")].valueFrom.fieldRef}")).EnsureSuccess().Stdout;

        Assert.Equal(1, serverSide.ExitCode);
        Assert.StartsWith(
            "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.template.spec.containers[name=\"nginx\"].env[name=\"DD_AGENT_HOST\"].valueFrom.fieldRef\n",
            serverSide.Stderr,
            StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.DoesNotContain("kubectl-client-side-apply", managers, StringComparison.Ordinal);
        // Defaulted again after the forced apply replaced it.
        Assert.Equal("{\"apiVersion\":\"v1\",\"fieldPath\":\"status.hostIP\"}", fieldRef);
    }

    [SkippableFact]
    public async Task Apply_ServerSideAfterClientSide_ChangesWhatTheLastClientSideApplySetWithoutConflicts()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(ConfigMap("{a: '1', b: '2'}"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        var serverSide = await Kubectl.RunWithInputAsync(ConfigMap("{a: '3', b: '2'}"), "apply", "--server-side", "-n", ns, "-f", "-");
        var data = (await Kubectl.RunAsync("get", "-n", ns, "configmap/settings", "-o", "jsonpath={.data}")).EnsureSuccess().Stdout;
        var lastApplied = (await Kubectl.RunAsync("apply", "view-last-applied", "-n", ns, "configmap/settings", "-o", "json")).EnsureSuccess().Stdout;

        // The fields still as the client-side apply set them are kubectl's to change (upstream's lastAppliedManager),
        // and the annotation follows the server-side configuration, so client-side apply can take over again.
        Assert.True(serverSide.ExitCode == 0, serverSide.ToString());
        Assert.Equal("{\"a\":\"3\",\"b\":\"2\"}", data);
        Assert.Contains("\"a\": \"3\"", lastApplied, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_ServerSideAfterClientSide_ConflictsOnWhatOthersChangedSince()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunWithInputAsync(ConfigMap("{a: '1', b: '2'}"), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "-n", ns, "configmap/settings", "--type=merge", "-p", "{\"data\":{\"a\":\"9\"}}")).EnsureSuccess();

        var kubectl = await Kubectl.RunWithInputAsync(ConfigMap("{a: '3', b: '4'}"), "apply", "--server-side", "-n", ns, "-f", "-");
        var otherManager = await Kubectl.RunWithInputAsync(ConfigMap("{a: '9', b: '4'}"), "apply", "--server-side", "--field-manager=deployer", "-n", ns, "-f", "-");

        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using v1: .data.a", kubectl.Stderr, StringComparison.Ordinal);
        // Only kubectl's own manager reads the annotation: another applier conflicts with the client-side applier.
        Assert.NotEqual(0, otherManager.ExitCode);
        Assert.Contains("conflict with \"kubectl-client-side-apply\" using v1: .data.b", otherManager.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_DryRunServer_ShowsTheResultAndStoresNothing()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        var dryRun = await Kubectl.RunWithInputAsync(ConfigMap("{a: '1'}"), "apply", "--server-side", "--dry-run=server", "-n", ns, "-f", "-", "-o", "jsonpath={.data.a}");
        var get = await Kubectl.RunAsync("get", "-n", ns, "configmap/settings");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal("1", dryRun.Stdout);
        Assert.Contains("NotFound", get.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> ReplicasAsync(string ns) =>
        (await Kubectl.RunAsync("get", "-n", ns, "deployment/nginx-deployment", "-o", "jsonpath={.spec.replicas}")).EnsureSuccess().Stdout;

    private static string ConfigMap(string data) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {data}\n";
}

public sealed class ServerSideApplyTestsOnSqlite : ServerSideApplyTests<SqliteClusterFixture>
{
    public ServerSideApplyTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class ServerSideApplyTestsOnEtcd : ServerSideApplyTests<EtcdClusterFixture>
{
    public ServerSideApplyTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
