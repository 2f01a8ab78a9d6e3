namespace Timonel.IntegrationTests;

/// <summary>
/// Every manifest of the user's notes applied unchanged with the real kubectl (default validation included),
/// then read back as upstream shows it.
/// </summary>
public abstract class ApplyExamplesTests<TFixture> : IClassFixture<TFixture>
    where TFixture : ClusterFixture
{
    private readonly TFixture _fixture;

    protected ApplyExamplesTests(TFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Cluster.Kubectl;

    [SkippableTheory]
    [MemberData(nameof(Examples.ManifestNames), MemberType = typeof(Examples))]
    public async Task Apply_ExampleManifest_CreatesThenReappliesWithoutChange(string manifest)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        var (first, second, generations, after) = await ApplyTwiceAsync(ns, manifest, [], GenerationsAsync);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains(" created", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        // kubectl may still send a patch for lists it cannot merge (a StatefulSet's volumeClaimTemplates, as
        // upstream), but re-applying the same file must never change a spec.
        Assert.Equal(generations, after);
    }

    [SkippableTheory]
    [MemberData(nameof(Examples.ManifestNames), MemberType = typeof(Examples))]
    public async Task ApplyServerSide_ExampleManifest_CreatesThenReappliesWithoutWriting(string manifest)
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();

        var (first, second, versions, after) = await ApplyTwiceAsync(ns, manifest, ["--server-side"], ResourceVersionsAsync);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains(" serverside-applied", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        // The same configuration again changes nothing, so nothing is written: every resourceVersion stays.
        Assert.Equal(versions, after);
    }

    /// <summary>Applies the manifest twice, reading <paramref name="read"/> after each apply, then deletes what it made.</summary>
    private async Task<(KubectlResult First, KubectlResult Second, string Before, string After)> ApplyTwiceAsync(
        string ns, string manifest, string[] flags, Func<string, string, Task<string>> read)
    {
        string[] apply = ["apply", .. flags, "-n", ns, "-f", Examples.File(manifest)];
        try
        {
            var first = await Kubectl.RunAsync(apply);
            var before = await Settled.ReadAsync(() => read(ns, manifest));
            var second = await Kubectl.RunAsync(apply);
            return (first, second, before, await read(ns, manifest));
        }
        finally
        {
            // The examples name fixed node ports: what one test applied must go before another applies the same file.
            await Kubectl.RunAsync("delete", "-n", ns, "-f", Examples.File(manifest), "--ignore-not-found");
        }
    }

    private async Task<string> ResourceVersionsAsync(string ns, string manifest) =>
        (await Kubectl.RunAsync("get", "-n", ns, "-f", Examples.File(manifest), "-o", "jsonpath={.items[*].metadata.resourceVersion}")).EnsureSuccess().Stdout;

    private async Task<string> GenerationsAsync(string ns, string manifest) =>
        (await Kubectl.RunAsync("get", "-n", ns, "-f", Examples.File(manifest), "-o", "jsonpath={.items[*].metadata.generation}")).EnsureSuccess().Stdout;

    [SkippableFact]
    public async Task GetPodYaml_AfterApplyingTheProbesExample_ShowsUpstreamDefaults()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await _fixture.Cluster.CreateNamespaceAsync();
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("02-pod-env-resources-probes.yaml"))).EnsureSuccess();

        var yaml = (await Kubectl.RunAsync("get", "pod", "nginx", "-n", ns, "-o", "yaml")).EnsureSuccess().Stdout;

        foreach (var expected in new[]
        {
            "restartPolicy: Always", "dnsPolicy: ClusterFirst", "schedulerName: default-scheduler", "terminationGracePeriodSeconds: 30",
            "imagePullPolicy: IfNotPresent", "terminationMessagePath: /dev/termination-log", "terminationMessagePolicy: File",
            "timeoutSeconds: 1", "successThreshold: 1", "failureThreshold: 3", "scheme: HTTP", "protocol: TCP",
            "enableServiceLinks: true", "preemptionPolicy: PreemptLowerPriority", "priority: 0", "serviceAccountName: default",
            "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "tolerationSeconds: 300", "phase: Pending", "qosClass: Burstable",
        })
        {
            Assert.Contains(expected, yaml, StringComparison.Ordinal);
        }
    }
}

public sealed class ApplyExamplesTestsOnSqlite : ApplyExamplesTests<SqliteClusterFixture>
{
    public ApplyExamplesTestsOnSqlite(SqliteClusterFixture fixture)
        : base(fixture)
    {
    }
}

public sealed class ApplyExamplesTestsOnEtcd : ApplyExamplesTests<EtcdClusterFixture>
{
    public ApplyExamplesTestsOnEtcd(EtcdClusterFixture fixture)
        : base(fixture)
    {
    }
}
