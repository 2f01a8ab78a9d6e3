using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Timonel.ApiServer.Hosting;

/// <summary>
/// Kestrel's request-size limits set to what kube-apiserver's Go server takes, so a request Go serves is served here
/// too (Kestrel's own defaults, 32 KiB of headers and an 8 KiB request line, answer 431 and 414 much earlier).
/// </summary>
internal static class GoHttpLimits
{
    /// <summary>
    /// The request line and headers together: kube-apiserver's http.Server sets MaxHeaderBytes to 1 MiB
    /// (apiserver/pkg/server/secure_serving.go), and net/http reads 4096 bytes past it before refusing with 431
    /// (server.go initialReadLimitSize); Go's HTTP/2 server takes the same figure as its header list size.
    /// </summary>
    public const int MaxHeaderBytes = (1 << 20) + 4096;

    public static void Apply(KestrelServerLimits limits)
    {
        // Kestrel holds a whole request line and header block in its input buffer, so that must take them (1 MiB by default).
        if (limits.MaxRequestBufferSize is { } buffer)
        {
            limits.MaxRequestBufferSize = Math.Max(buffer, MaxHeaderBytes);
        }

        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes;
        limits.MaxRequestLineSize = MaxHeaderBytes;
        // Go counts no headers, only their bytes: a header takes at least four ("a:\r\n"), so this never binds first.
        limits.MaxRequestHeaderCount = MaxHeaderBytes / 4;
        limits.Http2.MaxRequestHeaderFieldSize = MaxHeaderBytes;
    }
}
