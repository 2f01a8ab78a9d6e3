using System.Net;
using System.Net.WebSockets;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// The built-in Ingress controller of a real <c>timonel server</c>: Ingresses applied with the real kubectl route
/// requests to loopback backends registered as EndpointSlice endpoints.
/// </summary>
public sealed class IngressControllerTests : IClassFixture<IngressServerFixture>
{
    private readonly IngressServerFixture _fixture;

    public IngressControllerTests(IngressServerFixture fixture) => _fixture = fixture;

    private Kubectl Kubectl => _fixture.Kubectl;

    [SkippableFact]
    public async Task HelloAppExample_RoutesV1AndV2_OtherIs404_AddressShown()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        await using var v1 = new LoopbackBackend("1.0.0");
        await using var v2 = new LoopbackBackend("2.0.0");
        await _fixture.RegisterAsync(ns, "hello-v1", v1);
        await _fixture.RegisterAsync(ns, "hello-v2", v2);
        (await Kubectl.RunAsync("apply", "-n", ns, "-f", Examples.File("09-ingress.yaml"))).EnsureSuccess();

        Assert.Contains("Version: 1.0.0", await EventuallyAsync("/v1", null, HttpStatusCode.OK));
        Assert.Contains("Version: 2.0.0", await EventuallyAsync("/v2", null, HttpStatusCode.OK));
        var nested = await GetAsync("/v1/deeper/path", null);
        Assert.Equal(HttpStatusCode.OK, nested.Status);
        Assert.Contains("Path: /v1/deeper/path", nested.Body);
        Assert.Contains("X-Forwarded-For: 127.0.0.1", nested.Body);
        Assert.Contains("X-Forwarded-Proto: http", nested.Body);
        Assert.Contains($"X-Forwarded-Host: 127.0.0.1:{_fixture.HttpPort}", nested.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/other", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/v1x", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/V1", null)).Status);

        var table = await IntegrationTests.SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "ingress", "hello-app", "-n", ns)).EnsureSuccess().Stdout,
            output => output.Split('\n').Skip(1).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 4 } cells && IPAddress.TryParse(cells[3], out _)));
        // CLASS is the default class: the example names none, and the DefaultIngressClass admission plugin fills it in.
        Assert.Matches(@"hello-app\s+timonel\s+\*\s+\d+\.\d+\.\d+\.\d+\s+80\s", table);
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=hello-app")).EnsureSuccess().Stdout;
        Assert.Contains("Scheduled for sync", events);
    }

    [SkippableFact]
    public async Task Paths_CaseSensitive_ExactMeansExactly_ElseTheNextRouteAnswers()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".example.test";
        await using var specific = new LoopbackBackend("1.0.0");
        await using var fallback = new LoopbackBackend("2.0.0");
        await _fixture.RegisterAsync(ns, "specific", specific);
        await _fixture.RegisterAsync(ns, "fallback", fallback);
        await ApplyIngressAsync(ns, "paths", host, "/", "fallback", extraPath: "/exact", extraService: "specific", morePath: "/v1");

        Assert.Contains("Version: 1.0.0", await EventuallyAsync("/v1/x", host, HttpStatusCode.OK));
        Assert.Contains("Version: 1.0.0", (await GetAsync("/exact", host)).Body);
        Assert.Contains("Version: 2.0.0", (await GetAsync("/V1/x", host)).Body);
        Assert.Contains("Version: 2.0.0", (await GetAsync("/Exact", host)).Body);
        Assert.Contains("Version: 2.0.0", (await GetAsync("/exact/", host)).Body);
    }

    [SkippableFact]
    public async Task BackendWithoutEndpoints_Is503_Then200OnceOneIsAdded()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".example.test";
        await _fixture.RegisterAsync(ns, "empty");
        await ApplyIngressAsync(ns, "empty", host, "/", "empty");
        await EventuallyAsync("/", host, HttpStatusCode.ServiceUnavailable);

        await using var backend = new LoopbackBackend("3.0.0");
        (await Kubectl.RunWithInputAsync(IngressServerFixture.Slice("empty", backend), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
        Assert.Contains("Version: 3.0.0", await EventuallyAsync("/anything", host, HttpStatusCode.OK));
    }

    [SkippableFact]
    public async Task MissingService_WarningEventAnd503()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".example.test";
        await ApplyIngressAsync(ns, "ghost", host, "/", "no-such-service");
        await EventuallyAsync("/", host, HttpStatusCode.ServiceUnavailable);
        var events = await IntegrationTests.SimulatedClusterFixture.EventuallyAsync(
            async () => (await Kubectl.RunAsync("get", "events", "-n", ns)).EnsureSuccess().Stdout,
            output => output.Contains("no-such-service", StringComparison.Ordinal));
        Assert.Contains("Warning", events);
        Assert.Contains($"service \"{ns}/no-such-service\" not found", events);
    }

    [SkippableFact]
    public async Task TlsIngress_ServesTheSecretsCertificateBySni_AndHttp2_OtherHostsTheDefault()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".secure.test";
        await using var backend = new LoopbackBackend("1.0.0");
        using var certificate = await ServeOverTlsAsync(ns, "web", host, "/", backend);
        var served = await IngressTls.ServedCertificateAsync(_fixture.HttpsPort, host);
        using var http2 = new HttpClient(IngressTls.LoopbackHandler(certificate.Thumbprint)) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{host}:{_fixture.HttpsPort}/h2") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http2.SendAsync(request);

        Assert.Equal(certificate.Thumbprint, served.Thumbprint);
        Assert.Contains("Fake Certificate", (await IngressTls.ServedCertificateAsync(_fixture.HttpsPort, "unknown.example.test")).Subject);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains("Path: /h2", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task ExactHost_HidesWildcardAndAnyHostPaths_WildcardHidesAnyHost()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var domain = ns + ".hosts.test";
        var anyPath = "/any-" + ns;
        await using var exact = new LoopbackBackend("1.0.0");
        await using var wildcard = new LoopbackBackend("2.0.0");
        await using var any = new LoopbackBackend("3.0.0");
        await _fixture.RegisterAsync(ns, "exact", exact);
        await _fixture.RegisterAsync(ns, "wildcard", wildcard);
        await _fixture.RegisterAsync(ns, "any", any);
        var manifest = IngressManifest.For("exact", "foo." + domain, "/a", "exact") + "\n---\n" + $$"""
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: broader
            spec:
              rules:
              - host: "*.{{domain}}"
                http:
                  paths:{{IngressManifest.Path("/b", "Prefix", "wildcard")}}
              - http:
                  paths:{{IngressManifest.Path(anyPath, "Prefix", "any")}}
            """;
        (await Kubectl.RunWithInputAsync(manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();

        Assert.Contains("Version: 1.0.0", await EventuallyAsync("/a", "foo." + domain, HttpStatusCode.OK));
        Assert.Contains("Version: 2.0.0", await EventuallyAsync("/b", "bar." + domain, HttpStatusCode.OK));
        Assert.Contains("Version: 3.0.0", await EventuallyAsync(anyPath, "elsewhere.test", HttpStatusCode.OK));
        // foo's own rules only: the wildcard's and the any-host paths are not its.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/b", "foo." + domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(anyPath, "foo." + domain)).Status);
        // bar is the wildcard's: the any-host path is not its; two labels are beyond the wildcard, so any-host rules answer.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(anyPath, "bar." + domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/b", "x.bar." + domain)).Status);
        Assert.Contains("Version: 3.0.0", (await GetAsync(anyPath, "x.bar." + domain)).Body);

        // Once foo's Ingress goes, the wildcard owns foo again.
        (await Kubectl.RunAsync("delete", "ingress", "exact", "-n", ns)).EnsureSuccess();
        Assert.Contains("Version: 2.0.0", await EventuallyAsync("/b", "foo." + domain, HttpStatusCode.OK));
    }

    [SkippableFact]
    public async Task WebSocket_UpgradedThroughTheIngress_OverHttp1AndOverHttp2WithTls()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".ws.test";
        await using var backend = new LoopbackBackend("1.0.0");
        using var certificate = await ServeOverTlsAsync(ns, "chat", host, "/chat", backend);
        using var invoker = new HttpMessageInvoker(IngressTls.LoopbackHandler(certificate.Thumbprint));

        using var http1 = new ClientWebSocket();
        await http1.ConnectAsync(new Uri($"ws://{host}:{_fixture.HttpPort}/chat/room"), invoker, CancellationToken.None);
        using var http2 = new ClientWebSocket();
        http2.Options.HttpVersion = HttpVersion.Version20;
        http2.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        await http2.ConnectAsync(new Uri($"wss://{host}:{_fixture.HttpsPort}/chat/room"), invoker, CancellationToken.None);

        Assert.Equal("1.0.0: over http/1.1", await EchoAsync(http1, "over http/1.1"));
        Assert.Equal("1.0.0: second message", await EchoAsync(http1, "second message"));
        Assert.Equal("1.0.0: over h2", await EchoAsync(http2, "over h2"));
        await http1.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await http2.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, http1.State);
        Assert.Equal(WebSocketState.Closed, http2.State);
    }

    [SkippableFact]
    public async Task ThousandRequestsDuringIngressChanges_NoneLost()
    {
        Skip.If(_fixture.SkipReason is not null, _fixture.SkipReason);
        var ns = await NamespaceAsync();
        var host = ns + ".example.test";
        await using var backend = new LoopbackBackend("1.0.0");
        await _fixture.RegisterAsync(ns, "steady", backend);
        await ApplyIngressAsync(ns, "steady", host, "/", "steady");
        await EventuallyAsync("/", host, HttpStatusCode.OK);

        // Each change adds a path, so every apply is a new configuration swapped in under load.
        var (failures, changes) = await IngressLoad.RunAsync(_fixture.HttpPort, host, "/steady", 1000, change => ApplyIngressAsync(ns, "steady", host, "/", "steady", extraPath: $"/extra-{change}"));

        Assert.Equal(0, failures);
        Assert.True(changes > 0);
    }

    /// <summary>
    /// Service <paramref name="name"/> for the backend, a TLS Secret <c>name-tls</c> of a new certificate for
    /// <paramref name="host"/> and an Ingress routing the host's <paramref name="path"/> to it, once the proxy answers
    /// and presents that certificate.
    /// </summary>
    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> ServeOverTlsAsync(string ns, string name, string host, string path, LoopbackBackend backend)
    {
        await _fixture.RegisterAsync(ns, name, backend);
        var certificate = IngressTls.SelfSigned(host);
        await IngressTls.CreateSecretAsync(Kubectl, ns, name + "-tls", certificate);
        await ApplyIngressAsync(ns, name, host, path, name, tlsSecret: name + "-tls");
        await EventuallyAsync(path, host, HttpStatusCode.OK);
        await IntegrationTests.SimulatedClusterFixture.EventuallyAsync(
            async () => (await IngressTls.ServedCertificateAsync(_fixture.HttpsPort, host)).Thumbprint,
            thumbprint => thumbprint == certificate.Thumbprint);
        return certificate;
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = "ing-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private async Task ApplyIngressAsync(string ns, string name, string host, string path, string service, string? tlsSecret = null, string? extraPath = null, string? extraService = null, string? morePath = null)
    {
        var more = IngressManifest.Path(extraPath, "Exact", extraService ?? service) + IngressManifest.Path(morePath, "Prefix", extraService ?? service);
        (await Kubectl.RunWithInputAsync(IngressManifest.For(name, host, path, service, tlsSecret, more), "apply", "-n", ns, "-f", "-")).EnsureSuccess();
    }

    private Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? host) =>
        new IngressClient(_fixture.HttpPort, () => _fixture.Server.Output).GetAsync(path, host);

    private Task<string> EventuallyAsync(string path, string? host, HttpStatusCode status) =>
        new IngressClient(_fixture.HttpPort, () => _fixture.Server.Output).EventuallyAsync(path, host, status);
}
