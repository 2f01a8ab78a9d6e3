using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Timonel.Testing;

namespace Timonel.Bench.ApiServer;

/// <summary>
/// A real <c>timonel server</c> process on a free loopback port. <see cref="StartAsync"/> returns once /readyz
/// answers 200, polled every 10 ms, and records how long that took from the exec.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(10);
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private long? _reportedReadyMs;

    private ServerProcess(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri BaseAddress => new($"https://127.0.0.1:{Port}");

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig.yaml");

    /// <summary>From the exec to the first 200 from /readyz.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>The server's whole "ready" log line (with its start-up phases), once logged.</summary>
    public string? ReadyLine { get; private set; }

    /// <summary>The server's own "ready ... in N ms" figure (from its Main, so without runtime start-up).</summary>
    public long? ReportedReadyMs
    {
        get
        {
            lock (_log)
            {
                return _reportedReadyMs;
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string binary, string dataDir, string? datastoreEndpoint, params string[] extraArguments)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "server", "--disable-agent", "--data-dir", dataDir, "--https-listen-port", port.ToString(CultureInfo.InvariantCulture), "--bind-address", "127.0.0.1" })
        {
            start.ArgumentList.Add(argument);
        }

        if (datastoreEndpoint is not null)
        {
            start.ArgumentList.Add("--datastore-endpoint");
            start.ArgumentList.Add(datastoreEndpoint);
        }

        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The poller is made before the clock starts. On a fresh data dir the CA does not exist until the server
        // has written it, which it does before it listens, so it is read at the first handshake.
        X509Certificate2? ca = null;
        using var poller = new HttpClient(new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    CaTrust.IsIssuedBy(ca ??= X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dataDir, "tls", "server-ca.crt")), certificate, errors),
            },
            ConnectTimeout = TimeSpan.FromSeconds(1),
        })
        { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        var server = new ServerProcess(process, dataDir, port);
        process.OutputDataReceived += (_, line) => server.Remember(line.Data);
        process.ErrorDataReceived += (_, line) => server.Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(poller, clock);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Null while the server runs; otherwise its exit code and last log lines.</summary>
    public string? ExitReport() => _process.HasExited ? $"timonel server exited with code {_process.ExitCode}:\n{Log()}" : null;

    /// <summary>VmRSS from /proc/PID/status, in MiB.</summary>
    public double ResidentMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024.0;
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{Pid}/status");
    }

    /// <summary>User + system CPU time the server has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>SIGTERM, as systemd stops K3s, so SQLite closes cleanly; SIGKILL after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(HttpClient poller, Stopwatch clock)
    {
        var readyz = new Uri(BaseAddress, "/readyz");
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
        {
            try
            {
                using var response = await poller.GetAsync(readyz);
                if (response.IsSuccessStatusCode)
                {
                    StartToReady = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A poll timed out while the server was starting.
            }

            await Task.Delay(_pollInterval);
        }

        throw new InvalidOperationException($"timonel server on port {Port} did not become ready:\n{Log()}");
    }

    private string Log()
    {
        lock (_log)
        {
            return string.Join('\n', _log);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (ReadyPattern().Match(line) is { Success: true } ready)
            {
                _reportedReadyMs = long.Parse(ready.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                ReadyLine = line;
            }

            _log.Enqueue(line);
            if (_log.Count > 50)
            {
                _log.Dequeue();
            }
        }
    }

    [GeneratedRegex(@"ready at \S+ in (\d+) ms")]
    private static partial Regex ReadyPattern();
}
