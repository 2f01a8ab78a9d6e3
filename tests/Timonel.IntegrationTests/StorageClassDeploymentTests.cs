namespace Timonel.IntegrationTests;

/// <summary>
/// The storage classes <c>timonel server</c> deploys: <c>local-path</c> as the default, the provider class names
/// and <c>--storage-class-alias</c> ones as aliases of it, each deployed once (a user's deletion stands across
/// restarts), none with <c>--disable local-storage</c>; as <c>kubectl get sc</c> shows them.
/// </summary>
public sealed class StorageClassDeploymentTests : IDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-sc-" + Guid.NewGuid().ToString("N")[..10]);

    private Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    [SkippableFact]
    public async Task Start_DeploysTheDefaultClassAndAliases_AUserDeletionSurvivesARestart()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(!Kubectl.IsInstalled, Kubectl.SkipReason);
        await using (var server = ServerProcess.Start(_dataDir, "--storage-class-alias", "premium-rwo=local-path"))
        {
            Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
            var classes = await ClassesAsync(until: lines => lines.Length == 10);

            Assert.Matches(@"^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$", classes[0]);
            Assert.Equal(
                ["default", "do-block-storage", "gp2", "gp3", "local-path (default)", "managed-csi", "premium-rwo", "standard", "standard-rwo"],
                classes.Skip(1).Select(line => line.Split("  ", StringSplitOptions.RemoveEmptyEntries)[0].Trim()));
            Assert.All(classes.Skip(1), line => Assert.Matches(@"\s+timonel\.io/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s+\S+$", line));
            var aliasOf = (await Kubectl.RunAsync("get", "sc", "do-block-storage", "-o", "jsonpath={.metadata.annotations.timonel\\.io/alias-of}")).EnsureSuccess().Stdout;
            Assert.Equal("local-path", aliasOf);

            (await Kubectl.RunAsync("delete", "sc", "gp2")).EnsureSuccess();
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        await using (var restarted = ServerProcess.Start(_dataDir))
        {
            Assert.True(await restarted.WaitReadyAsync(_startTimeout), "the server did not become ready again:\n" + restarted.Output);
            await WaitForTheControllersAsync();
            var names = (await ClassesAsync(until: lines => lines.Length > 1)).Skip(1).Select(line => line.Split(' ')[0]).ToList();

            Assert.DoesNotContain("gp2", names);
            Assert.Contains("local-path", names);
            Assert.Contains("premium-rwo", names);
        }
    }

    [SkippableFact]
    public async Task DisableLocalStorage_DeploysNoClass()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        Skip.If(!Kubectl.IsInstalled, Kubectl.SkipReason);
        await using var server = ServerProcess.Start(_dataDir, "--disable", "local-storage");
        Assert.True(await server.WaitReadyAsync(_startTimeout), "the server did not become ready:\n" + server.Output);
        await WaitForTheControllersAsync();

        var classes = await Kubectl.RunAsync("get", "sc");

        Assert.Equal("No resources found", classes.EnsureSuccess().Stderr.Trim());
    }

    [SkippableFact]
    public async Task StorageClassAliasNotNameEqualsClass_ExitsOneSayingTheExpectedForm()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var server = ServerProcess.Start(_dataDir, "--storage-class-alias", "premium");

        Assert.Equal(1, await server.WaitForExitAsync(_startTimeout));
        Assert.Contains("invalid argument \"premium\" for \"--storage-class-alias\" flag: expected NAME=CLASS", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    // The classes are deployed as the controllers start, before any of them runs: a namespace's default
    // ServiceAccount, made by one, shows the deployment is over.
    private async Task WaitForTheControllersAsync()
    {
        var ns = "probe-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        var account = await Kubectl.RunAsync("wait", "-n", ns, "serviceaccount/default", "--for=create", "--timeout=60s");
        Assert.True(account.ExitCode == 0, account.ToString());
    }

    // The classes are deployed by the controllers, which start after the API server reports ready.
    private async Task<string[]> ClassesAsync(Func<string[], bool> until)
    {
        var lines = Array.Empty<string>();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            lines = (await Kubectl.RunAsync("get", "sc")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (until(lines))
            {
                break;
            }
        }

        return lines;
    }
}
