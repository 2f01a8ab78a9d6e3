using System.Buffers;
using System.Text;
using Timonel.ApiServer.Hosting;

namespace Timonel.ApiServer.Tests.Hosting;

public sealed class MalformedVersionGuardTests
{
    [Theory]
    [InlineData("GET /version HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1")]
    [InlineData("get /version http/1.1\r\n", "http/1.1")]
    [InlineData("GET /a b HTTP/1.1\n", "b HTTP/1.1")]
    [InlineData("GET /version HTTP/1.1", null)]
    [InlineData("GET /version\r\n", null)]
    public void FirstLineVersion_RequestStart_TheTextAfterTheSecondSpace(string start, string? version) =>
        Assert.Equal(version, MalformedVersionGuard.FirstLineVersion(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(start))));

    [Theory]
    [InlineData("HTTP/1.1", true)]
    [InlineData("HTTP/1.0", true)]
    [InlineData("HTTP/2.0", true)]
    [InlineData("HTTP/9.9", true)]
    [InlineData("http/1.1", false)]
    [InlineData("HTTP/x.y", false)]
    [InlineData("HTTP/1.10", false)]
    [InlineData("HTTP/1", false)]
    [InlineData("b HTTP/1.1", false)]
    public void GoAcceptsVersion_Version_AsParseHTTPVersion(string version, bool accepted) =>
        Assert.Equal(accepted, MalformedVersionGuard.GoAcceptsVersion(version));
}
