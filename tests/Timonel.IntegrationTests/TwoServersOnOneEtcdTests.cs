using Timonel.Testing;

namespace Timonel.IntegrationTests;

/// <summary>
/// Two <c>timonel server</c> processes, each with its own data dir, on one etcd (K3s' servers on an external
/// datastore): what one writes, the other reads at once and its watchers see; allocations made through both never
/// collide; the controllers of both finish a namespace deletion begun through either.
/// </summary>
public sealed class TwoServersOnOneEtcdTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "timonel-two-servers-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task TwoServers_OneEtcd_ShareObjectsWatchesAllocationsAndNamespaceDeletion()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(EtcdProcess.UnavailableReason is not null, EtcdProcess.UnavailableReason);
        Skip.IfNot(Kubectl.IsInstalled, Kubectl.SkipReason);
        await using var etcd = await EtcdProcess.StartAsync();
        await using var first = ServerProcess.Start(Path.Combine(_directory, "first"), "--datastore-endpoint", etcd.Endpoint);
        await using var second = ServerProcess.Start(Path.Combine(_directory, "second"), "--datastore-endpoint", etcd.Endpoint);
        Assert.True(await first.WaitReadyAsync(_startTimeout), "the first server did not become ready:\n" + first.Output);
        Assert.True(await second.WaitReadyAsync(_startTimeout), "the second server did not become ready:\n" + second.Output);
        var viaFirst = new Kubectl(Path.Combine(first.DataDir, "kubeconfig.yaml"));
        var viaSecond = new Kubectl(Path.Combine(second.DataDir, "kubeconfig.yaml"));

        // Written through one, read through the other straight away: a consistent read, not a stale cache.
        (await viaFirst.RunAsync("create", "namespace", "shared")).EnsureSuccess();
        (await viaFirst.RunAsync("create", "configmap", "settings", "-n", "shared", "--from-literal=k=v1")).EnsureSuccess();
        var read = (await viaSecond.RunAsync("get", "configmap", "settings", "-n", "shared", "-o", "jsonpath={.data.k}")).EnsureSuccess();
        // kubectl wait watches through the second server while the first changes the object.
        var waiting = viaSecond.RunAsync("wait", "configmap/settings", "-n", "shared", "--for=jsonpath={.data.k}=v2", "--timeout=60s");
        (await viaFirst.RunAsync("patch", "configmap", "settings", "-n", "shared", "--type=merge", "-p", """{"data":{"k":"v2"}}""")).EnsureSuccess();
        var waited = await waiting;

        // ClusterIPs handed out by both servers at once come from one allocation in etcd.
        var creates = Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? viaFirst : viaSecond).RunAsync("create", "service", "clusterip", $"web-{i}", "-n", "shared", "--tcp=80")).ToList();
        foreach (var created in await Task.WhenAll(creates))
        {
            created.EnsureSuccess();
        }

        var ips = (await viaFirst.RunAsync("get", "services", "-n", "shared", "-o", "jsonpath={.items[*].spec.clusterIP}")).EnsureSuccess().Stdout.Split(' ');

        // Deleted through the second; both servers' namespace controllers work on it, and it is gone for both.
        (await viaSecond.RunAsync("delete", "namespace", "shared", "--timeout=60s")).EnsureSuccess();
        var gone = await viaFirst.RunAsync("get", "namespace", "shared");

        Assert.Equal("v1", read.Stdout);
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.Equal(6, ips.Length);
        Assert.Equal(6, ips.Distinct().Count());
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("namespaces \"shared\" not found", gone.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
