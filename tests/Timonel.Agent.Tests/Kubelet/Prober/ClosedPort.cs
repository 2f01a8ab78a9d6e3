using System.Net;
using System.Net.Sockets;

namespace Timonel.Agent.Tests.Kubelet.Prober;

/// <summary>A loopback port nothing listens on (just released by a listener), so connecting is refused.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
