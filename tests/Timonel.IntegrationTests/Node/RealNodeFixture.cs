using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// One all-in-one <c>timonel server</c> with its node agent on this machine's containerd, runc and CNI plugins, shared
/// by every end-to-end test (one machine has one 10250 port, one cni0 bridge). The test images are built offline by
/// tests/images/build.sh into the agent's air-gap folder, which the agent imports at start.
/// </summary>
public sealed class RealNodeFixture : IAsyncLifetime
{
    private static readonly string[] _tools = ["containerd", "runc", "ctr"];
    private static readonly string[] _cniPlugins = ["bridge", "host-local", "portmap", "loopback"];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "timonel-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private ServerProcess? _server;

    public string? SkipReason { get; } = FindSkipReason();

    public ServerProcess Server => _server ?? throw new InvalidOperationException(SkipReason ?? "server not started");

    public Kubectl Kubectl => new(Path.Combine(_dataDir, "kubeconfig.yaml"));

    public string DataDir => _dataDir;

    /// <summary>The node's name (the host name) and InternalIP, as the agent registered them.</summary>
    public string NodeName { get; private set; } = "";

    public string NodeIP { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        await BuildImagesAsync(Path.Combine(_dataDir, "agent", "images"));
        _server = ServerProcess.StartWithAgent(_dataDir);
        if (!await _server.WaitReadyAsync(TimeSpan.FromSeconds(120)))
        {
            throw new InvalidOperationException("the server did not become ready:\n" + _server.Output);
        }

        var ready = await Kubectl.RunAsync("wait", "node", "--all", "--for=condition=Ready", "--timeout=120s");
        if (ready.ExitCode != 0)
        {
            throw new InvalidOperationException($"no node became Ready: {ready}\n{_server.Output}");
        }

        NodeName = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}")).EnsureSuccess().Stdout;
        NodeIP = (await Kubectl.RunAsync("get", "nodes", "-o", "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}")).EnsureSuccess().Stdout;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            // SIGTERM: the server stops its agent, which stops the pods it runs and its containerd.
            try
            {
                await _server.TerminateAsync(TimeSpan.FromSeconds(60));
            }
            catch (OperationCanceledException)
            {
            }

            await _server.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left behind: a mount the runtime still holds.
        }
    }

    /// <summary>A namespace of the test's own, deleted with the fixture's cluster.</summary>
    public async Task<string> CreateNamespaceAsync()
    {
        var ns = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        (await Kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        return ns;
    }

    private static async Task BuildImagesAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var build = new ProcessStartInfo("bash", [Path.Combine(ServerProcess.RepoRoot!, "tests", "images", "build.sh"), directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(build)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/images/build.sh failed: {await output}{await errors}");
        }
    }

    private static string? FindSkipReason()
    {
        if (!Kubectl.IsInstalled)
        {
            return Kubectl.SkipReason;
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "the node agent runs containers: these tests need root on Linux";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':');
        foreach (var tool in _tools)
        {
            if (!path.Any(dir => File.Exists(Path.Combine(dir, tool))))
            {
                return $"{tool} is not installed (apt-get install containerd runc)";
            }
        }

        var cni = new[] { "/usr/lib/cni", "/opt/cni/bin" }.FirstOrDefault(dir => _cniPlugins.All(p => File.Exists(Path.Combine(dir, p))));
        return cni is null ? "the CNI plugins are not installed (apt-get install containernetworking-plugins)" : null;
    }
}
