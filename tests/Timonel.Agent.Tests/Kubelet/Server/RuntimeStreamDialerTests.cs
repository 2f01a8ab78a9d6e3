using System.Net;
using System.Net.Sockets;
using System.Text;
using Timonel.Agent.Kubelet.Server;

namespace Timonel.Agent.Tests.Kubelet.Server;

public sealed class RuntimeStreamDialerTests
{
    [Fact]
    public async Task UpgradeToSpdyAsync_OffersEveryProtocolAndAnswersTheOneTheServerChose()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            var stream = accepted.GetStream();
            var head = await ReadHeadAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\nframes"));
            await stream.FlushAsync();
            // Hold the connection until the client has read what follows the head.
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false);
            return head;
        });

        var connection = await new RuntimeStreamDialer().UpgradeToSpdyAsync($"http://127.0.0.1:{port}/exec/token", ["v4.channel.k8s.io", "v3.channel.k8s.io"], CancellationToken.None);
        await using (connection.Stream)
        {
            var after = new byte[6];
            await connection.Stream.ReadExactlyAsync(after);

            Assert.Equal("v4.channel.k8s.io", connection.Protocol);
            Assert.Equal("frames", Encoding.ASCII.GetString(after));
        }

        var request = await server;
        Assert.StartsWith("GET /exec/token HTTP/1.1\r\n", request);
        Assert.Contains("Upgrade: SPDY/3.1\r\n", request);
        Assert.Contains("X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n", request);
    }

    [Fact]
    public async Task UpgradeToSpdyAsync_ServerRefuses_ThrowsWithItsStatusLine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            var stream = accepted.GetStream();
            await ReadHeadAsync(stream);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
        });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => new RuntimeStreamDialer().UpgradeToSpdyAsync($"http://127.0.0.1:{port}/exec/x", ["v9"], CancellationToken.None));

        Assert.Contains("HTTP/1.1 403 Forbidden", error.Message);
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1)
        {
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}
