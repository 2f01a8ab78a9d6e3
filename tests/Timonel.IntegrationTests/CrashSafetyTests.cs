using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Timonel.IntegrationTests;

/// <summary>
/// A real <c>timonel server</c> on SQLite under 16 concurrent writers, stopped by kill -9 or SIGTERM mid-load:
/// after a restart on the same data dir, every create the server acknowledged with 201 must still be there.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int Writers = 16;

    // The first start may build the binary (the launcher publishes it when a source changed).
    private static readonly TimeSpan _firstStartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan _restartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _loadTime = TimeSpan.FromSeconds(3);

    private readonly ITestOutputHelper _output;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-crash-" + Guid.NewGuid().ToString("N")[..10]);

    public CrashSafetyTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public async Task KillNine_UnderConcurrentCreates_EveryAcknowledgedCreateSurvivesRestart()
    {
        var writers = await LoadThenStopAsync(async server =>
        {
            // The launcher execs the binary, so this PID is the server itself, not a shell around it.
            Assert.Equal("timonel", Path.GetFileName(server.Executable));
            await server.KillAsync();
        });

        await AssertAllPresentAfterRestartAsync(writers);
    }

    [SkippableFact]
    public async Task Sigterm_UnderConcurrentCreates_ExitsZeroAndEveryAcknowledgedCreateSurvivesRestart()
    {
        var exitCode = -1;
        var writers = await LoadThenStopAsync(async server => exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(0, exitCode);
        await AssertAllPresentAfterRestartAsync(writers);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never started.
        }
    }

    /// <summary>Starts the server, runs the writers for a few seconds, then stops the server with <paramref name="stop"/> while they write.</summary>
    private async Task<ConfigMapWriters> LoadThenStopAsync(Func<ServerProcess, Task> stop)
    {
        Skip.If(ServerProcess.RepoRoot is null, "the repository's ./timonel launcher is not above the test binaries");
        await using var server = ServerProcess.Start(_dataDir);
        var ready = await server.WaitReadyAsync(_firstStartTimeout);
        Skip.IfNot(ready, $"timonel server could not be built or started within {_firstStartTimeout.TotalMinutes} minutes:\n{Tail(server.Output)}");

        using var client = server.CreateClient();
        using var load = new CancellationTokenSource();
        var writers = ConfigMapWriters.Start(client, Writers, load.Token);
        await Task.Delay(_loadTime);
        await stop(server);
        // Writers stop on their first failed request; the token is only a guard against a server that never went away.
        load.CancelAfter(TimeSpan.FromSeconds(10));
        await writers.StoppedAsync();

        _output.WriteLine($"{writers.Acknowledged.Count} creates acknowledged by {Writers} writers in {_loadTime.TotalSeconds} s");
        Assert.True(writers.Acknowledged.Count > Writers, $"too few creates acknowledged to prove anything ({writers.Acknowledged.Count}):\n{Tail(server.Output)}");
        Assert.Empty(writers.Unexpected);
        return writers;
    }

    private async Task AssertAllPresentAfterRestartAsync(ConfigMapWriters writers)
    {
        await using var server = ServerProcess.Start(_dataDir);
        Assert.True(await server.WaitReadyAsync(_restartTimeout), $"the server did not come back on its data dir:\n{Tail(server.Output)}");
        using var client = server.CreateClient();

        var list = JsonNode.Parse(await client.GetStringAsync("/api/v1/namespaces/default/configmaps"))!;
        var present = list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

        var lost = writers.Acknowledged.Where(name => !present.Contains(name)).Order(StringComparer.Ordinal).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {writers.Acknowledged.Count} acknowledged ConfigMaps lost: {string.Join(", ", lost.Take(20))}");
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(30));
}
