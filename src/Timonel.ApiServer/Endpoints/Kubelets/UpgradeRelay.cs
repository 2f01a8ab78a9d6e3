using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Timonel.Api.Streams;

namespace Timonel.ApiServer.Endpoints.Kubelets;

/// <summary>
/// exec, attach and port-forward through the API server: the client's upgrade request (WebSocket or SPDY) is replayed
/// to the kubelet, and once the kubelet switches protocols the two connections are joined byte for byte (upstream's
/// UpgradeAwareHandler). The stream protocol itself is between kubectl and the kubelet; the API server only
/// authenticates, authorises and finds the node.
/// </summary>
public static class UpgradeRelay
{
    // The headers that negotiate the stream protocol; everything else about the client stays at the API server.
    private static readonly string[] _forwardedHeaders =
        ["Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol", "X-Stream-Protocol-Version"];

    private static readonly string[] _returnedHeaders =
        ["Upgrade", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "X-Stream-Protocol-Version"];

    private const int MaxHeadBytes = 64 * 1024;

    public static async Task RelayAsync(HttpContext context, KubeletConnector kubelets, Uri kubelet, string pathAndQuery)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw StatusException.BadRequest("Upgrade request required");
        }

        var cancellationToken = context.RequestAborted;
        await using var backend = await ConnectAsync(kubelets, kubelet, cancellationToken);
        await backend.WriteAsync(Encoding.ASCII.GetBytes(RequestHead(context.Request, kubelet, pathAndQuery)), cancellationToken);
        await backend.FlushAsync(cancellationToken);
        var (head, leftover) = await ReadHeadAsync(backend, cancellationToken);
        var response = KubeletResponseHead.Parse(head);
        if (response.StatusCode != StatusCodes.Status101SwitchingProtocols)
        {
            // The kubelet refused (no such container, bad options): its answer goes back as it is.
            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.Header("Content-Type") ?? "text/plain; charset=utf-8";
            var length = int.TryParse(response.Header("Content-Length"), out var l) ? Math.Min(l, MaxHeadBytes) : 0;
            var body = new byte[length];
            var have = Math.Min(leftover.Length, length);
            leftover.AsSpan(0, have).CopyTo(body);
            if (have < length)
            {
                await backend.ReadAtLeastAsync(body.AsMemory(have), length - have, throwOnEndOfStream: false, cancellationToken);
            }

            await context.Response.Body.WriteAsync(body, cancellationToken);
            return;
        }

        foreach (var name in _returnedHeaders)
        {
            if (response.Header(name) is { } value)
            {
                context.Response.Headers[name] = value;
            }
        }

        await using var client = await upgrade.UpgradeAsync();
        await client.WriteAsync(leftover, cancellationToken);
        await client.FlushAsync(cancellationToken);
        await StreamJoin.RunAsync(client, backend, cancellationToken);
    }

    private static async Task<Stream> ConnectAsync(KubeletConnector kubelets, Uri kubelet, CancellationToken cancellationToken)
    {
        try
        {
            return await kubelets.ConnectAsync(kubelet, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw KubeletErrors.Unreachable(kubelet, e);
        }
    }

    private static string RequestHead(HttpRequest request, Uri kubelet, string pathAndQuery)
    {
        var head = new StringBuilder()
            .Append(request.Method).Append(' ').Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(kubelet.Authority).Append("\r\n")
            .Append("Connection: Upgrade\r\n")
            .Append("Content-Length: 0\r\n");
        foreach (var name in _forwardedHeaders)
        {
            foreach (var value in request.Headers[name])
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        return head.Append("\r\n").ToString();
    }

    /// <summary>Reads up to the blank line ending the response head; answers the head and whatever came after it.</summary>
    private static async Task<(string Head, byte[] Leftover)> ReadHeadAsync(Stream backend, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var used = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, used).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), buffer[(end + 4)..used]);
            }

            if (used == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                {
                    throw StatusException.Internal("the kubelet's response head is too large");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await backend.ReadAsync(buffer.AsMemory(used), cancellationToken);
            if (read == 0)
            {
                throw StatusException.Internal("the kubelet closed the connection before answering");
            }

            used += read;
        }
    }
}
