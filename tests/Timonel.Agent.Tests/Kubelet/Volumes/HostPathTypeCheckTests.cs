using System.Net.Sockets;
using Timonel.Agent.Kubelet.Volumes;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class HostPathTypeCheckTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DirectoryOrCreate_MakesAMissingDirectoryOfMode0755()
    {
        var path = Path.Combine(_dir.Path, "made", "here");

        Assert.Null(HostPathTypeCheck.Check(path, "DirectoryOrCreate"));

        Assert.True(Directory.Exists(path));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(path));
    }

    [Fact]
    public void FileOrCreate_MakesAMissingEmptyFileOfMode0644()
    {
        var path = Path.Combine(_dir.Path, "lock");

        Assert.Null(HostPathTypeCheck.Check(path, "FileOrCreate"));

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(path));
    }

    [Fact]
    public void EachType_AcceptsItsKindOnly_WithUpstreamsMessages()
    {
        var file = Path.Combine(_dir.Path, "file");
        File.WriteAllText(file, "x");
        var missing = Path.Combine(_dir.Path, "missing");

        Assert.Null(HostPathTypeCheck.Check(_dir.Path, "Directory"));
        Assert.Null(HostPathTypeCheck.Check(file, "File"));
        Assert.Null(HostPathTypeCheck.Check(missing, ""));
        Assert.Null(HostPathTypeCheck.Check("/dev/null", "CharDevice"));
        Assert.Equal($"hostPath type check failed: {file} is not a directory", HostPathTypeCheck.Check(file, "Directory"));
        Assert.Equal($"hostPath type check failed: {file} is not a directory", HostPathTypeCheck.Check(file, "DirectoryOrCreate"));
        Assert.Equal($"hostPath type check failed: {missing} is not a directory", HostPathTypeCheck.Check(missing, "Directory"));
        Assert.Equal($"hostPath type check failed: {_dir.Path} is not a file", HostPathTypeCheck.Check(_dir.Path, "File"));
        Assert.Equal($"hostPath type check failed: {_dir.Path} is not a file", HostPathTypeCheck.Check(_dir.Path, "FileOrCreate"));
        Assert.Equal($"hostPath type check failed: {file} is not a socket file", HostPathTypeCheck.Check(file, "Socket"));
        Assert.Equal($"hostPath type check failed: {file} is not a character device", HostPathTypeCheck.Check(file, "CharDevice"));
        Assert.Equal($"hostPath type check failed: /dev/null is not a block device", HostPathTypeCheck.Check("/dev/null", "BlockDevice"));
        Assert.Equal("Bogus is an invalid volume type", HostPathTypeCheck.Check(file, "Bogus"));
    }

    [Fact]
    public void Socket_AcceptsAUnixSocketAndFollowsSymlinks()
    {
        var path = Path.Combine(_dir.Path, "agent.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var link = Path.Combine(_dir.Path, "link.sock");
        File.CreateSymbolicLink(link, path);

        Assert.Null(HostPathTypeCheck.Check(path, "Socket"));
        Assert.Null(HostPathTypeCheck.Check(link, "Socket"));
        Assert.Equal($"hostPath type check failed: {path} is not a file", HostPathTypeCheck.Check(path, "File"));
    }
}
