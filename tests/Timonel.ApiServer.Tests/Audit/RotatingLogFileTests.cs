using System.Text;
using Microsoft.Extensions.Time.Testing;
using Timonel.ApiServer.Audit;

namespace Timonel.ApiServer.Tests.Audit;

public sealed class RotatingLogFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("audit-log-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 14, 9, 30, 1, 250, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_PastMaximumSize_RenamesTheFileWithItsTimeAndStartsAnew()
    {
        var path = Path.Combine(_directory, "audit.log");
        using (var log = new RotatingLogFile(path, maxBytes: 10, maxBackups: 0, _time))
        {
            log.Write(Line("aaaa"));
            log.Write(Line("bbbb"));
            log.Write(Line("cccc"));
            log.Flush();
        }

        // lumberjack's backup name: <name>-<UTC time as 2006-01-02T15-04-05.000>.<ext>.
        var backup = Path.Combine(_directory, "audit-2024-05-14T09-30-01.250.log");
        Assert.Equal("aaaa\nbbbb\n", File.ReadAllText(backup));
        Assert.Equal("cccc\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_ManyRotations_KeepsOnlyTheNewestBackups()
    {
        var path = Path.Combine(_directory, "audit.log");
        using (var log = new RotatingLogFile(path, maxBytes: 5, maxBackups: 2, _time))
        {
            foreach (var text in new[] { "1111", "2222", "3333", "4444", "5555" })
            {
                log.Write(Line(text));
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            log.Flush();
        }

        var backups = Directory.GetFiles(_directory, "audit-*.log").Select(File.ReadAllText).Order().ToList();
        Assert.Equal(["3333\n", "4444\n"], backups);
        Assert.Equal("5555\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_ExistingFileNearlyFull_RotatesBeforeAppending()
    {
        var path = Path.Combine(_directory, "audit.log");
        File.WriteAllText(path, "old-line\n");
        using (var log = new RotatingLogFile(path, maxBytes: 12, maxBackups: 0, _time))
        {
            log.Write(Line("new"));
            log.Write(Line("more"));
            log.Flush();
        }

        Assert.Equal("new\nmore\n", File.ReadAllText(path));
        Assert.Equal("old-line\n", File.ReadAllText(Directory.GetFiles(_directory, "audit-*.log").Single()));
    }

    [Fact]
    public void Write_LineLargerThanTheMaximum_IsRefusedAsLumberjackDoes()
    {
        using var log = new RotatingLogFile(Path.Combine(_directory, "audit.log"), maxBytes: 4, maxBackups: 0, _time);

        var error = Assert.Throws<IOException>(() => log.Write(Line("too long")));

        Assert.Equal("write length 9 exceeds maximum file size 4", error.Message);
    }

    [Fact]
    public void Open_NewFile_IsReadableByItsOwnerAlone()
    {
        var path = Path.Combine(_directory, "sub", "audit.log");
        using var log = new RotatingLogFile(path, 1, 0, 0, _time);

        log.Open();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");
}
