using System.Diagnostics;

namespace Timonel.Storage.Tests.Sqlite;

/// <summary>
/// Runs Timonel.Storage.CrashWriter as a child process until enough of its log lines are written, then kills it with
/// SIGKILL: no flush, no dispose, no finally blocks in the child.
/// </summary>
internal static class CrashWriterProcess
{
    private static readonly TimeSpan _patience = TimeSpan.FromSeconds(60);

    /// <summary>Starts the writer with <paramref name="arguments"/> and kills it once <paramref name="log"/> has <paramref name="lines"/> lines that <paramref name="counts"/>.</summary>
    public static async Task RunThenKillAsync(string log, int lines, Func<string, bool> counts, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Timonel.Storage.CrashWriter.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var writer = Process.Start(start)!;
        try
        {
            var waited = Stopwatch.StartNew();
            while (!File.Exists(log) || CompleteLines(log).Count(counts) < lines)
            {
                Assert.False(writer.HasExited, "the writer exited before it was killed");
                Assert.True(waited.Elapsed < _patience, $"the writer wrote fewer than {lines} lines in {_patience.TotalSeconds} s");
                await Task.Delay(20);
            }
        }
        finally
        {
            // Process.Kill sends SIGKILL on Unix.
            writer.Kill();
            await writer.WaitForExitAsync();
            writer.Dispose();
        }
    }

    /// <summary>The log's whole lines: the kill may cut the last one short, and only whole lines were acknowledged.</summary>
    public static List<string> CompleteLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        return [.. text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
