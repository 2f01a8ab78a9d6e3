using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// <c>timonel server</c> as a real child process, started through the repo-root launcher (which builds the binary
/// when needed and then execs it, so the child's PID is the server's own) on a data dir and a free loopback port.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string dataDir, int port, int ingressHttpPort, int ingressHttpsPort)
    {
        _process = process;
        DataDir = dataDir;
        IngressHttpPort = ingressHttpPort;
        IngressHttpsPort = ingressHttpsPort;
        Url = new Uri($"https://127.0.0.1:{port}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDir { get; }

    public Uri Url { get; }

    public int Id => _process.Id;

    /// <summary>The ports the built-in Ingress controller listens on (free ones, unless the test named its own).</summary>
    public int IngressHttpPort { get; }

    public int IngressHttpsPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The repository root (the folder holding the launcher and Timonel.slnx), found above the test binaries.</summary>
    public static string? RepoRoot { get; } = FindRepoRoot();

    public static ServerProcess Start(string dataDir) => Start(dataDir, FreePort());

    /// <summary>Starts a server on a free port with more flags (e.g. <c>--datastore-endpoint</c>).</summary>
    public static ServerProcess Start(string dataDir, params string[] extraArgs) => Start(dataDir, FreePort(), extraArgs);

    /// <summary>
    /// Starts a server on a given port (another server may already hold it), without its node agent, and without the
    /// cluster DNS unless the test gives it a port of its own (many servers run at once; the node's port 53 is one).
    /// </summary>
    public static ServerProcess Start(string dataDir, int port, params string[] extraArgs) =>
        Launch(dataDir, port, ["--disable-agent", .. extraArgs.Contains("--cluster-dns-port") ? [] : new[] { "--disable", "coredns" }, .. extraArgs]);

    /// <summary>Starts a server with its node agent (containerd, runc and CNI on this machine), on a free port.</summary>
    public static ServerProcess StartWithAgent(string dataDir, params string[] extraArgs) => Launch(dataDir, FreePort(), extraArgs);

    /// <summary>Starts a server with its node agent on a given port (a restart of one that ran there).</summary>
    public static ServerProcess StartWithAgent(string dataDir, int port, params string[] extraArgs) => Launch(dataDir, port, extraArgs);

    private static ServerProcess Launch(string dataDir, int port, string[] extraArgs)
    {
        var root = RepoRoot ?? throw new InvalidOperationException("the repository root (with ./timonel) was not found above " + AppContext.BaseDirectory);
        var start = new ProcessStartInfo(Path.Combine(root, "timonel"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        // Loopback unless the test asks for another address (pods reach the API at the node's address).
        string[] bind = extraArgs.Contains("--bind-address") ? [] : ["--bind-address", "127.0.0.1"];
        // The Ingress controller listens on free ports rather than 80 and 443, so servers started side by side never
        // compete for them; a test naming its own ports keeps them.
        var httpPort = PortArgument(extraArgs, "--ingress-http-port") ?? FreePort();
        var httpsPort = PortArgument(extraArgs, "--ingress-https-port") ?? FreePort();
        string[] ingressPorts = [.. PortUnlessNamed(extraArgs, "--ingress-http-port", httpPort), .. PortUnlessNamed(extraArgs, "--ingress-https-port", httpsPort)];
        foreach (var arg in new[] { "server", "--data-dir", dataDir, "--https-listen-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(bind).Concat(ingressPorts).Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        return new ServerProcess(Process.Start(start)!, dataDir, port, httpPort, httpsPort);
    }

    private static string[] PortUnlessNamed(string[] args, string flag, int port) =>
        args.Contains(flag) ? [] : [flag, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static int? PortArgument(string[] args, string flag) =>
        Array.IndexOf(args, flag) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Waits until /readyz answers ok; false when the process exits first or the time runs out.</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            if (File.Exists(TokenPath) && File.Exists(CaPath))
            {
                try
                {
                    using var client = CreateClient();
                    if (await client.GetStringAsync("/readyz") == "ok")
                    {
                        return true;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>A client trusting the server's CA and presenting the join token, which the server takes as an admin's bearer token.</summary>
    public HttpClient CreateClient() =>
        ApiHttp.Create(Url, X509CertificateLoader.LoadCertificateFromFile(CaPath), bearerToken: File.ReadAllText(TokenPath).Trim());

    /// <summary>The program the process runs, from /proc: the server binary, not a shell, when the launcher exec'd it.</summary>
    public string Executable => File.ResolveLinkTarget($"/proc/{_process.Id}/exe", returnFinalTarget: false)?.FullName ?? "";

    /// <summary>kill -9: the process gets no chance to flush or close anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop a server, then waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private string TokenPath => Path.Combine(DataDir, "token");

    private string CaPath => Path.Combine(DataDir, "tls", "server-ca.crt");

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>A port nothing listens on now (the OS picks it), for a listener the test or the server opens next.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "timonel")) && File.Exists(Path.Combine(dir.FullName, "Timonel.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
