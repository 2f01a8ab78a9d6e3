namespace Timonel.IntegrationTests;

/// <summary>How <c>timonel server</c> behaves when it cannot start, as a user running it by hand sees it.</summary>
public sealed class ServerStartupTests : IDisposable
{
    private static readonly TimeSpan _firstStartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _firstDataDir = Path.Combine(Path.GetTempPath(), "timonel-start-a-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _secondDataDir = Path.Combine(Path.GetTempPath(), "timonel-start-b-" + Guid.NewGuid().ToString("N")[..10]);

    [SkippableFact]
    public async Task PortAlreadyInUse_ExitsOneWithBindErrorAndNoStackTrace()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var first = ServerProcess.Start(_firstDataDir);
        Assert.True(await first.WaitReadyAsync(_firstStartTimeout), "the first server did not become ready:\n" + first.Output);

        await using var second = ServerProcess.Start(_secondDataDir, first.Url.Port);
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exitCode);
        Assert.Contains($"listen tcp 127.0.0.1:{first.Url.Port}: bind: address already in use", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DisableWithAnUnknownComponent_ExitsOneListingTheValidOnes()
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var server = ServerProcess.Start(_firstDataDir, "--disable", "local-storage,metrics");

        Assert.Equal(1, await server.WaitForExitAsync(_firstStartTimeout));
        Assert.Contains("invalid value \"metrics\" for --disable (valid items: coredns, ingress, local-storage, servicelb, traefik)", server.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _firstDataDir, _secondDataDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
