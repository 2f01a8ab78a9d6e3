using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using k8s.Models;

namespace Timonel.Agent.Kubelet.Prober;

/// <summary>
/// An httpGet probe (pkg/probe/http): a GET with the kube-probe User-Agent and the probe's headers, HTTPS without
/// verifying the certificate; 200–399 succeeds. Redirects to the same host are followed (at most 10); one to
/// another host stops there as a success with a warning.
/// </summary>
internal sealed class HttpProbe : IProbeHandler, IDisposable
{
    public const string UserAgent = "kube-probe/1.32";
    public const int MaxRedirects = 10;

    // upstream's maxRespBodyLength: the body a probe reads for its output.
    private const int MaxBodyBytes = 10 * 1024;

    private readonly HttpClient _client;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "HTTPS probes do not verify the container's certificate, as upstream's (InsecureSkipVerify).")]
    public HttpProbe()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = AcceptAnyCertificate;
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public bool Handles(V1Probe probe) => probe.HttpGet is not null;

    // Probes check that a container answers, not who it is: upstream's prober skips verification too.
    private static bool AcceptAnyCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, System.Net.Security.SslPolicyErrors errors) => true;

    public async Task<ProbeResult> ProbeAsync(V1Probe probe, ProbeTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var url = Url(probe.HttpGet, target);
        var original = url;
        for (var redirects = 0; ; redirects++)
        {
            using var request = Request(url, probe.HttpGet.HttpHeaders);
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                return ProbeResult.Failure(RequestError(e, url));
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = new Uri(url, location);
                    if (next.Host != original.Host)
                    {
                        return new ProbeResult(ProbeOutcome.Warning, $"Probe terminated redirects, Response body: {await BodyAsync(response, cancellationToken)}");
                    }

                    if (redirects + 1 >= MaxRedirects)
                    {
                        return ProbeResult.Failure($"Get \"{next}\": stopped after {MaxRedirects} redirects");
                    }

                    url = next;
                    continue;
                }

                var body = await BodyAsync(response, cancellationToken);
                return status is >= 200 and < 400
                    ? ProbeResult.Success(body)
                    : ProbeResult.Failure($"HTTP probe failed with statuscode: {status}");
            }
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The URL a probe asks: scheme, host (the pod's IP by default), port by number or name, and path.</summary>
    public static Uri Url(V1HTTPGetAction action, ProbeTarget target)
    {
        var scheme = string.IsNullOrEmpty(action.Scheme) ? "http" : action.Scheme.ToLowerInvariant();
        var host = string.IsNullOrEmpty(action.Host) ? target.PodIP : action.Host;
        var port = ProbePorts.Resolve(action.Port, target.Container);
        var path = action.Path ?? "";
        return new Uri($"{scheme}://{ProbePorts.HostPort(host, port)}{(path.StartsWith('/') ? path : "/" + path)}");
    }

    private static HttpRequestMessage Request(Uri url, IEnumerable<V1HTTPHeader>? headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        var given = (headers ?? []).ToList();
        foreach (var header in given)
        {
            if (header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = header.Value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        if (!given.Any(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.UserAgent.ParseAdd(UserAgent);
        }

        if (!given.Any(h => h.Name.Equals("Accept", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        }

        return request;
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        int count;
        while (read < buffer.Length && (count = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += count;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    // As Go's http.Client words it: Get "url": dial tcp ...: connect: connection refused.
    private static string RequestError(Exception error, Uri url)
    {
        var address = ProbePorts.HostPort(url.Host.Trim('[', ']'), url.Port);
        var cause = error is OperationCanceledException
            ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            : error.InnerException is System.Net.Sockets.SocketException socket ? DialErrors.Describe(socket, address) : error.Message;
        return string.Create(CultureInfo.InvariantCulture, $"Get \"{url}\": {cause}");
    }
}
