using System.Text;
using Timonel.Agent.Kubelet.Server.Logs;

namespace Timonel.Agent.Tests.Kubelet.Server.Logs;

/// <summary>kubectl logs' output from a CRI log file: what a user sees for each option.</summary>
public sealed class ContainerLogReaderTests : IDisposable
{
    private const string Log = """
        2026-12-06T10:00:00.000000001Z stdout F first line
        2026-12-06T10:00:01.5Z stderr F an error
        2026-12-06T10:00:02Z stdout P a long line split
        2026-12-06T10:00:02.1Z stdout P  in three
        2026-12-06T10:00:02.2Z stdout F  parts
        2026-12-06T10:00:03Z stdout F last line

        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("timonel-logs-").FullName;

    private string LogPath => Path.Combine(_directory, "0.log");

    [Fact]
    public async Task Copy_PlainLog_MessagesOfBothStreamsWithPartialsJoined()
    {
        File.WriteAllText(LogPath, Log);

        var output = await ReadAsync(new ContainerLogOptions());

        Assert.Equal("first line\nan error\na long line split in three parts\nlast line\n", output);
    }

    [Fact]
    public async Task Copy_Timestamps_EachLineStartsWithItsFirstRecordsTime()
    {
        File.WriteAllText(LogPath, Log);

        var output = await ReadAsync(new ContainerLogOptions { Timestamps = true });

        Assert.Equal(
            "2026-12-06T10:00:00.000000001Z first line\n2026-12-06T10:00:01.5Z an error\n2026-12-06T10:00:02Z a long line split in three parts\n2026-12-06T10:00:03Z last line\n",
            output);
    }

    [Fact]
    public async Task Copy_TailTwo_LastTwoWholeLines()
    {
        File.WriteAllText(LogPath, Log);

        var output = await ReadAsync(new ContainerLogOptions { TailLines = 2 });

        Assert.Equal("a long line split in three parts\nlast line\n", output);
    }

    [Fact]
    public async Task Copy_TailZero_Nothing()
    {
        File.WriteAllText(LogPath, Log);

        Assert.Equal("", await ReadAsync(new ContainerLogOptions { TailLines = 0 }));
    }

    [Fact]
    public async Task Copy_Since_LeavesOutOlderRecords()
    {
        File.WriteAllText(LogPath, Log);

        var output = await ReadAsync(new ContainerLogOptions { Since = DateTimeOffset.Parse("2026-12-06T10:00:02.5Z") });

        Assert.Equal("last line\n", output);
    }

    [Fact]
    public async Task Copy_LimitBytes_StopsMidLine()
    {
        File.WriteAllText(LogPath, Log);

        var output = await ReadAsync(new ContainerLogOptions { LimitBytes = 15 });

        Assert.Equal("first line\nan e", output);
    }

    [Fact]
    public async Task Copy_UnfinishedLastLine_LeftUntilItsNewlineArrives()
    {
        File.WriteAllText(LogPath, "2026-12-06T10:00:00Z stdout F done\n2026-12-06T10:00:01Z stdout F half-writ");

        Assert.Equal("done\n", await ReadAsync(new ContainerLogOptions()));
    }

    [Fact]
    public async Task Copy_Follow_ReadsAppendedLinesUntilTheContainerStops()
    {
        File.WriteAllText(LogPath, "2026-12-06T10:00:00Z stdout F before\n");
        var output = new MemoryStream();
        var running = true;
        var reader = new ContainerLogReader(TimeSpan.FromMilliseconds(10));
        var checks = 0;

        await reader.CopyAsync(LogPath, new ContainerLogOptions { Follow = true }, output, _ =>
        {
            // The container writes a line between two checks, then exits with a last line not yet read.
            checks++;
            if (checks == 2)
            {
                File.AppendAllText(LogPath, "2026-12-06T10:00:01Z stdout F while running\n");
            }

            if (checks == 4)
            {
                File.AppendAllText(LogPath, "2026-12-06T10:00:02Z stderr F at exit\n");
                running = false;
            }

            return Task.FromResult(running);
        }, CancellationToken.None);

        Assert.Equal("before\nwhile running\nat exit\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void Parse_BothSinceOptions_Refused()
    {
        var query = new Dictionary<string, string> { ["sinceSeconds"] = "10", ["sinceTime"] = "2026-12-06T10:00:00Z" };

        var error = Assert.Throws<FormatException>(() => ContainerLogOptions.Parse(query.GetValueOrDefault, DateTimeOffset.UnixEpoch));

        Assert.Equal("at most one of `sinceTime` or `sinceSeconds` may be specified", error.Message);
    }

    [Fact]
    public void Parse_SinceSeconds_CountsBackFromNow()
    {
        var now = DateTimeOffset.Parse("2026-12-06T10:00:00Z");
        var query = new Dictionary<string, string> { ["sinceSeconds"] = "60", ["follow"] = "true", ["tailLines"] = "5" };

        var options = ContainerLogOptions.Parse(query.GetValueOrDefault, now);

        Assert.Equal(now.AddMinutes(-1), options.Since);
        Assert.True(options.Follow);
        Assert.Equal(5, options.TailLines);
    }

    [Fact]
    public void Parse_NotANumber_SaysWhichOption()
    {
        var query = new Dictionary<string, string> { ["tailLines"] = "ten" };

        var error = Assert.Throws<FormatException>(() => ContainerLogOptions.Parse(query.GetValueOrDefault, DateTimeOffset.UnixEpoch));

        Assert.Contains("tailLines", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> ReadAsync(ContainerLogOptions options)
    {
        var output = new MemoryStream();
        await new ContainerLogReader().CopyAsync(LogPath, options, output, _ => Task.FromResult(false), CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
