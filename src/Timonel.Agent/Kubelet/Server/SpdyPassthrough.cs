using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Timonel.Api.Streams;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// An exec or attach client that itself speaks SPDY (client-go's SPDY executor: <c>Upgrade: SPDY/3.1</c> with the
/// X-Stream-Protocol-Version values it knows, what kubectl does with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false): its
/// connection is joined byte for byte to the runtime's streaming server, upgraded with the same protocol offer, as
/// upstream's kubelet proxies the CRI streaming URL. Both ends speak the same SPDY streams, so nothing is translated
/// and the runtime's protocol choice goes back to the client.
/// </summary>
public sealed class SpdyPassthrough(RuntimeStreamDialer dialer)
{
    private const string HeaderName = "X-Stream-Protocol-Version";

    public static bool IsRequested(HttpContext context) =>
        !context.WebSockets.IsWebSocketRequest
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && string.Equals(context.Request.Headers.Upgrade.ToString(), "SPDY/3.1", StringComparison.OrdinalIgnoreCase);

    /// <param name="url">The runtime's streaming URL for this exec or attach.</param>
    public async Task RunAsync(HttpContext context, string url)
    {
        var cancellationToken = context.RequestAborted;
        var offered = context.Request.Headers[HeaderName]
            .SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        RuntimeSpdyStream runtime;
        try
        {
            runtime = await dialer.UpgradeToSpdyAsync(url, offered, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException or UriFormatException)
        {
            await KubeletResponses.RuntimeUnreachableAsync(context, e);
            return;
        }

        await using (runtime.Stream)
        {
            context.Response.Headers.Upgrade = "SPDY/3.1";
            if (runtime.Protocol is { } chosen)
            {
                context.Response.Headers[HeaderName] = chosen;
            }

            await using var client = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
            await StreamJoin.RunAsync(client, runtime.Stream, cancellationToken);
        }
    }
}
