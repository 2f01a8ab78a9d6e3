using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;

namespace Timonel.Testing;

/// <summary>
/// A real single-member etcd on 127.0.0.1 with free client and peer ports and its own data directory, for tests
/// and benchmarks. <see cref="RestartAsync"/> kills it with SIGKILL and starts it again on the same data, as a
/// crash would. Disposing kills it and deletes the data directory.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    /// <summary>Debian's etcd-server package installs the binary here.</summary>
    public const string Binary = "/usr/bin/etcd";

    // etcd refuses requests over --max-request-bytes (1.5 MiB by default, embed/config.go DefaultMaxRequestBytes);
    // a 1.5 MiB object plus the request around it needs a little more.
    private const long MaxRequestBytes = 3 * 1024 * 1024;

    private readonly int _clientPort = FreePort.Next();
    private readonly int _peerPort = FreePort.Next();
    private readonly Queue<string> _log = new();
    private Process? _process;

    private readonly EtcdTestCertificates? _tls;

    private EtcdProcess(string dataDir, EtcdTestCertificates? tls)
    {
        DataDir = dataDir;
        _tls = tls;
    }

    /// <summary>Why etcd cannot run here, or null when it can.</summary>
    public static string? UnavailableReason => File.Exists(Binary) ? null : $"{Binary} is not installed (Debian package etcd-server)";

    /// <summary>The client URL, e.g. <c>http://127.0.0.1:41234</c> (https when started with certificates).</summary>
    public string Endpoint => $"{(_tls is null ? "http" : "https")}://127.0.0.1:{_clientPort}";

    public string DataDir { get; }

    /// <param name="tls">
    /// Serve clients over TLS with these certificates and require a client certificate signed by their CA
    /// (etcd's --client-cert-auth); null: plain HTTP.
    /// </param>
    public static async Task<EtcdProcess> StartAsync(EtcdTestCertificates? tls = null, CancellationToken cancellationToken = default)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"timonel-etcd-{Guid.NewGuid():N}");
        var etcd = new EtcdProcess(dataDir, tls);
        try
        {
            await etcd.LaunchAsync(cancellationToken);
            return etcd;
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, then start again on the same data directory and ports.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    private async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--name", "timonel-test",
            "--data-dir", DataDir,
            "--listen-client-urls", Endpoint,
            "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"timonel-test={peer}",
            "--max-request-bytes", MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (_tls is not null)
        {
            foreach (var argument in new[] { "--cert-file", _tls.ServerCertFile, "--key-file", _tls.ServerKeyFile, "--trusted-ca-file", _tls.CaFile, "--client-cert-auth" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Binary}");
        _process.OutputDataReceived += (_, line) => Remember(line.Data);
        _process.ErrorDataReceived += (_, line) => Remember(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitHealthyAsync(cancellationToken);
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(HealthHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process!.HasExited)
            {
                break;
            }

            try
            {
                // etcd serves /health on the client URL; "true" once it has a leader and can serve requests.
                var body = await http.GetStringAsync($"{Endpoint}/health", cancellationToken);
                if (body.Contains("\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request timed out while etcd was starting.
            }

            await Task.Delay(50, cancellationToken);
        }

        string log;
        lock (_log)
        {
            log = string.Join('\n', _log);
        }

        throw new InvalidOperationException($"etcd did not become healthy on {Endpoint}:\n{log}");
    }

    // Over TLS the health check presents the client certificate and trusts the test CA, as any client must.
    private SocketsHttpHandler HealthHandler()
    {
        var handler = new SocketsHttpHandler();
        if (_tls is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(_tls.CaFile);
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(_tls.ClientCertFile, _tls.ClientKeyFile)];
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => CaTrust.IsIssuedBy(ca, certificate, errors);
        }

        return handler;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > 50)
            {
                _log.Dequeue();
            }
        }
    }
}
