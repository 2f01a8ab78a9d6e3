using System.Diagnostics;
using Timonel.Storage.Sqlite;

namespace Timonel.Storage.Tests.Sqlite;

public sealed class SqliteCrashSafetyTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();

    public void Dispose() => TempDirectory.Delete(_directory);

    [Fact]
    public async Task CreateAsync_WriterKilledWithSigkill_EveryAcknowledgedCreateSurvives()
    {
        var database = Path.Combine(_directory, "state.db");
        var acks = Path.Combine(_directory, "acks.txt");
        const int acknowledgedBeforeKill = 3000;

        var writer = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Timonel.Storage.CrashWriter.dll"), database, acks, "16" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            var waited = Stopwatch.StartNew();
            while (CountLines(acks) < acknowledgedBeforeKill)
            {
                Assert.False(writer.HasExited, "the writer exited before it was killed");
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the writer acknowledged too few creates");
                await Task.Delay(20);
            }
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix: no flush, no dispose, no finally blocks in the child.
            writer.Kill();
            await writer.WaitForExitAsync();
            writer.Dispose();
        }

        var acknowledged = CompleteLines(acks);
        await using var store = await SqliteStorageBackend.OpenAsync(database);
        var stored = (await store.ListAsync("/crash/", ListOptions.Latest)).Items.Select(item => item.Key).ToHashSet();

        Assert.True(acknowledged.Count >= acknowledgedBeforeKill);
        Assert.All(acknowledged, key => Assert.Contains(key, stored));
    }

    private static int CountLines(string path) => File.Exists(path) ? CompleteLines(path).Count : 0;

    // The kill may cut the last line short; only whole lines were acknowledged.
    private static List<string> CompleteLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
