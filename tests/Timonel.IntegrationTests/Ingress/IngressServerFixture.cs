using System.Globalization;

namespace Timonel.IntegrationTests.Ingress;

/// <summary>
/// <c>timonel server --disable-agent</c> with its Ingress controller on two free ports, and a kubectl for it; backends
/// are loopback listeners registered by hand (a Service without selector and an EndpointSlice listing this machine's address).
/// </summary>
public sealed class IngressServerFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-ing-" + Guid.NewGuid().ToString("N")[..10]);
    private ServerProcess? _server;

    public string? SkipReason { get; private set; }

    public int HttpPort { get; } = ServerProcess.FreePort();

    public int HttpsPort { get; } = ServerProcess.FreePort();

    public Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    public ServerProcess Server => _server ?? throw new InvalidOperationException(SkipReason);

    public async Task InitializeAsync()
    {
        SkipReason = ServerProcess.RepoRoot is null ? "the repository's ./timonel launcher is not above the test binaries"
            : !Kubectl.IsInstalled ? Kubectl.SkipReason
            : null;
        if (SkipReason is not null)
        {
            return;
        }

        _server = ServerProcess.Start(_dataDir, "--disable-scheduler", "--ingress-http-port", HttpPort.ToString(CultureInfo.InvariantCulture), "--ingress-https-port", HttpsPort.ToString(CultureInfo.InvariantCulture));
        if (!await _server.WaitReadyAsync(TimeSpan.FromMinutes(4)))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }
    }

    /// <summary>A Service without selector named <paramref name="name"/> on port 8080, and its EndpointSlice listing the loopback backends' ports (none: no endpoints).</summary>
    public async Task RegisterAsync(string ns, string name, params LoopbackBackend[] backends)
    {
        var manifest = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
            spec:
              ports:
              - port: 8080
            """;
        if (backends.Length > 0)
        {
            manifest += "\n---\n" + Slice(name, backends);
        }

        (await Kubectl.RunWithInputAsync(manifest, "apply", "-n", ns, "-f", "-")).EnsureSuccess();
    }

    /// <summary>The EndpointSlice of <paramref name="service"/> listing one backend (slices carry one port each).</summary>
    public static string Slice(string service, params LoopbackBackend[] backends) => string.Join("\n---\n", backends.Select((backend, i) => $"""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {service}-{i}
          labels:
            kubernetes.io/service-name: {service}
        addressType: IPv4
        endpoints:
        - addresses: ["{LoopbackBackend.Address}"]
          conditions:
            ready: true
        ports:
        - port: {backend.Port}
        """));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
