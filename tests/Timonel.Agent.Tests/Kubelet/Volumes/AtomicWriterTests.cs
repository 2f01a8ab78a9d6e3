using System.Text;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class AtomicWriterTests : IDisposable
{
    private const UnixFileMode Mode644 = (UnixFileMode)0b110_100_100;
    private readonly TemporaryDirectory _dir = new();
    private readonly AtomicWriter _writer;

    public AtomicWriterTests() => _writer = new AtomicWriter(_dir.Path, new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T10:00:00Z")));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_VisibleNamesAreLinksIntoData()
    {
        _writer.Write(Payload(("game.properties", "lives=3"), ("ui/colors", "red")));

        Assert.Equal("..data/game.properties", new FileInfo(Path.Combine(_dir.Path, "game.properties")).LinkTarget);
        Assert.Equal("..data/ui", new FileInfo(Path.Combine(_dir.Path, "ui")).LinkTarget);
        Assert.StartsWith("..2026_12_06_10_00_00.", new FileInfo(Path.Combine(_dir.Path, "..data")).LinkTarget);
        Assert.Equal("lives=3", File.ReadAllText(Path.Combine(_dir.Path, "game.properties")));
        Assert.Equal("red", File.ReadAllText(Path.Combine(_dir.Path, "ui", "colors")));
    }

    [Fact]
    public void Write_SetsTheAskedModeWhateverTheUmask()
    {
        _writer.Write(new Dictionary<string, FileProjection> { ["key"] = new(Encoding.UTF8.GetBytes("x"), (UnixFileMode)0b111_000_000), ["other"] = new([], (UnixFileMode)0b110_110_110) });

        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(_dir.Path, "key")));
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(Path.Combine(_dir.Path, "other")));
    }

    [Fact]
    public void Write_SameContents_WritesNothing()
    {
        _writer.Write(Payload(("a", "1")));
        var before = new FileInfo(Path.Combine(_dir.Path, "..data")).LinkTarget;

        var changed = _writer.Write(Payload(("a", "1")));

        Assert.False(changed);
        Assert.Equal(before, new FileInfo(Path.Combine(_dir.Path, "..data")).LinkTarget);
    }

    [Fact]
    public void Write_NewContents_SwapsDataAndRemovesTheOldDirectory()
    {
        _writer.Write(Payload(("a", "1")));
        var before = new FileInfo(Path.Combine(_dir.Path, "..data")).LinkTarget!;

        var changed = _writer.Write(Payload(("a", "2")));

        var after = new FileInfo(Path.Combine(_dir.Path, "..data")).LinkTarget;
        Assert.True(changed);
        Assert.NotEqual(before, after);
        Assert.Equal("2", File.ReadAllText(Path.Combine(_dir.Path, "a")));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, before)));
    }

    [Fact]
    public void Write_ReadersSeeTheOldContentsUntilTheSwap()
    {
        _writer.Write(Payload(("a", "old"), ("b", "old")));
        string? seenDuringWrite = null;

        _writer.Write(Payload(("a", "new"), ("b", "new")), _ => seenDuringWrite = File.ReadAllText(Path.Combine(_dir.Path, "a")) + File.ReadAllText(Path.Combine(_dir.Path, "b")));

        Assert.Equal("oldold", seenDuringWrite);
        Assert.Equal("newnew", File.ReadAllText(Path.Combine(_dir.Path, "a")) + File.ReadAllText(Path.Combine(_dir.Path, "b")));
    }

    [Fact]
    public void Write_RemovedKeysDisappear()
    {
        _writer.Write(Payload(("a", "1"), ("b", "2"), ("dir/c", "3")));

        _writer.Write(Payload(("a", "1")));

        var visible = Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith("..", StringComparison.Ordinal));
        Assert.Equal(["a"], visible);
    }

    [Fact]
    public void Write_ModeChange_IsAnUpdate()
    {
        _writer.Write(Payload(("a", "1")));

        var changed = _writer.Write(new Dictionary<string, FileProjection> { ["a"] = new(Encoding.UTF8.GetBytes("1"), (UnixFileMode)0b100_000_000) });

        Assert.True(changed);
        Assert.Equal((UnixFileMode)0b100_000_000, File.GetUnixFileMode(Path.Combine(_dir.Path, "a")));
    }

    [Theory]
    [InlineData("/etc/passwd", "invalid path: must be relative path: /etc/passwd")]
    [InlineData("../escape", "invalid path: must not contain '..': ../escape")]
    [InlineData("a/../../escape", "invalid path: must not contain '..': a/../../escape")]
    [InlineData("..data", "invalid path: must not start with '..': ..data")]
    public void Write_PathOutsideTheVolume_IsRefused(string path, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => _writer.Write(Payload((path, "x"))));

        Assert.Equal(message, e.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "..", "escape")));
    }

    private static Dictionary<string, FileProjection> Payload(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => new FileProjection(Encoding.UTF8.GetBytes(f.Text), Mode644));
}
