using System.Net;
using System.Text;
using Timonel.ApiServer.Overload;
using Timonel.Storage;

namespace Timonel.IntegrationTests;

/// <summary>
/// A server started with --max-mutating-requests-inflight 1: a write whose body is still arriving holds the one slot,
/// so the next write is refused with upstream's 429 while system:masters and watches are still served; a request
/// past its ?timeout= is answered with upstream's 504.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private const string HolderToken = "holder-token";
    private const string NobodyToken = "nobody-token";

    private TestCluster? _cluster;

    private TestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        if (!Kubectl.IsInstalled)
        {
            return;
        }

        _cluster = await TestCluster.StartAsync(dir => StorageBackendFactory.CreateAsync(null, dir), options =>
        {
            var tokens = Path.Combine(options.DataDir, "tokens.csv");
            // The holder writes (system:masters); nobody has no bindings at all.
            File.WriteAllText(tokens, $"{HolderToken},holder,holder-uid,\"system:masters\"\n{NobodyToken},nobody,nobody-uid,\"devs\"\n");
            return options with { TokenAuthFile = tokens, Overload = new OverloadOptions { MaxMutatingRequestsInflight = 1 } };
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Write_MutatingSlotHeld_Answers429WithRetryAfterWhileMastersAndWatchesAreServed()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        var ns = await Cluster.CreateNamespaceAsync("overload");
        using var admin = Cluster.CreateAdminHttpClient();
        using var watcher = Cluster.CreateAdminHttpClient();
        watcher.Timeout = Timeout.InfiniteTimeSpan;
        using var holderClient = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: HolderToken);
        using var nobody = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: NobodyToken);
        using var watch = await watcher.GetAsync($"/api/v1/namespaces/{ns}/configmaps?watch=1", HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await watch.Content.ReadAsStreamAsync());

        var body = new HeldBody();
        var held = holderClient.PostAsync($"/api/v1/namespaces/{ns}/configmaps", body);
        await body.Started.Task;
        var refused = await RefusedAsync(nobody, ns);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Code);
        Assert.Equal("1", refused.RetryAfter);
        Assert.Equal("Too many requests, please try again later.\n", refused.Body);
        using (var created = await admin.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiHttp.Json("""{"metadata":{"name":"while-full"}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Contains("\"while-full\"", await NextEventNamingAsync(events, "while-full"), StringComparison.Ordinal);
        body.Finish("""{"metadata":{"name":"held"}}""");
        using (var finished = await held)
        {
            Assert.Equal(HttpStatusCode.Created, finished.StatusCode);
        }

        using var afterwards = await nobody.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiHttp.Json("""{"metadata":{"name":"x"}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, afterwards.StatusCode);
    }

    [SkippableFact]
    public async Task Write_PastItsTimeout_AnswersUpstreams504()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);
        using var holderClient = ApiHttp.Create(Cluster.Host.Url, Cluster.Host.Pki.CertificateAuthority, bearerToken: HolderToken);
        var body = new HeldBody();

        // The body never completes, so the handler is still reading it when the second the client allowed runs out.
        // HTTP/2, so the answer can arrive while the body is still open (HTTP/1.1 in HttpClient waits for the body).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?timeout=1s")
        {
            Content = body,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await holderClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(
            """{"metadata":{},"status":"Failure","message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{},"code":504}""" + "\n",
            await response.Content.ReadAsStringAsync());
        body.Finish("");
    }

    [SkippableFact]
    public async Task Request_TimeoutNotADuration_AnswersBadRequest()
    {
        Skip.If(_cluster is null, Kubectl.SkipReason);

        var result = await Cluster.Kubectl.RunAsync("get", "--raw", "/api/v1/namespaces/default/configmaps?timeout=soon");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("invalid timeout specified in the request URL - time: invalid duration \"soon\"", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sends nobody's write until the held slot is seen taken: the holder's request reaches its handler a moment after
    /// its body started, and nothing else writes in this test's cluster meanwhile, so the answer turns to 429 and stays.
    /// </summary>
    private static async Task<(HttpStatusCode Code, string? RetryAfter, string Body)> RefusedAsync(HttpClient nobody, string ns)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await nobody.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiHttp.Json("""{"metadata":{"name":"x"}}"""));
            if (response.StatusCode == HttpStatusCode.TooManyRequests || attempt == 100)
            {
                return (response.StatusCode, response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(20);
        }
    }

    private static async Task<string> NextEventNamingAsync(StreamReader events, string name)
    {
        while (await events.ReadLineAsync() is { } line)
        {
            if (line.Contains($"\"{name}\"", StringComparison.Ordinal))
            {
                return line;
            }
        }

        return "";
    }

    /// <summary>A request body that sends one byte, then waits until the test finishes it.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly TaskCompletionSource<string> _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldBody() => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        public void Finish(string rest) => _rest.TrySetResult(rest);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync("{"u8.ToArray());
            await stream.FlushAsync();
            Started.TrySetResult();
            var rest = await _rest.Task;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(rest.Length > 0 ? rest[1..] : ""));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
