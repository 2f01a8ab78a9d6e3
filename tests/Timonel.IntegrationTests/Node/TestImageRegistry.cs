using System.Diagnostics;
using System.Globalization;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The test images offline for a node agent: built by tests/images/build.sh into the agent's air-gap folder (imported
/// at its start), and pushed to Debian's docker-registry on a loopback port that a registries.yaml names as the mirror
/// of their registries, so pulls with imagePullPolicy Always work without internet too. The same registries.yaml
/// makes that registry the "*" mirror (any other host's images come from it), gives <see cref="RewriteHost"/> a
/// rewrite onto the pushed paths, and names a second registry serving the same images over TLS with basic auth
/// (<see cref="AuthenticatedHost"/>, its credentials in registries.yaml; <see cref="AuthenticatedHostByName"/>, the
/// same registry by name, without them, for pulls with imagePullSecrets).
/// </summary>
public sealed class TestImageRegistry : IAsyncDisposable
{
    /// <summary>A registry host only the rewrite of registries.yaml serves: its images are pulled from the mirror with <see cref="RewrittenPrefix"/>/ replaced by library/.</summary>
    public const string RewriteHost = "rewrite.timonel.test";

    public const string RewrittenPrefix = "e2e-rewritten";

    /// <summary>A registry host registries.yaml does not name: its images come from the "*" mirror.</summary>
    public const string UnnamedHost = "unnamed.timonel.test";

    public const string Username = "e2e";

    private static readonly string[] _mirrored = ["docker.io", "gcr.io", "registry.k8s.io"];
    private readonly string _registryDir;
    private readonly string _authenticatedDir;

    private TestImageRegistry(string registryDir, string authenticatedDir, string registriesFile, int authenticatedPort, string password)
    {
        _registryDir = registryDir;
        _authenticatedDir = authenticatedDir;
        RegistriesFile = registriesFile;
        AuthenticatedHost = $"127.0.0.1:{authenticatedPort}";
        AuthenticatedHostByName = $"localhost:{authenticatedPort}";
        Password = password;
    }

    /// <summary>The registries.yaml to give the agent with --private-registry.</summary>
    public string RegistriesFile { get; }

    /// <summary>The registry that wants <see cref="Username"/> and <see cref="Password"/>; registries.yaml has them for this host.</summary>
    public string AuthenticatedHost { get; }

    /// <summary>The same registry by another name, for which registries.yaml holds its CA but no credentials.</summary>
    public string AuthenticatedHostByName { get; }

    public string Password { get; }

    /// <param name="workDir">Where the registries keep their data and the registries.yaml is written.</param>
    /// <param name="imagesDir">The agent's air-gap folder, DATA/agent/images.</param>
    public static async Task<TestImageRegistry> StartAsync(string workDir, string imagesDir)
    {
        var registryDir = Path.Combine(workDir, "registry");
        var authenticatedDir = Path.Combine(workDir, "registry-auth");
        var port = FreePort();
        var authenticatedPort = FreePort();
        var password = Guid.NewGuid().ToString("N");
        await RunScriptAsync("registry.sh", "START", registryDir, Text(port));
        var registry = new TestImageRegistry(registryDir, authenticatedDir, Path.Combine(workDir, "registries.yaml"), authenticatedPort, password);
        try
        {
            await RunScriptAsync("build.sh", imagesDir, "--push", $"127.0.0.1:{port}");
            var certificates = TestRegistryCertificates.Write(authenticatedDir);
            var htpasswd = Path.Combine(authenticatedDir, "htpasswd");
            await File.WriteAllTextAsync(htpasswd, $"{Username}:{BCrypt.Net.BCrypt.HashPassword(password)}\n");
            await RunScriptAsync(
                "registry.sh", "START", authenticatedDir, Text(authenticatedPort),
                "--htpasswd", htpasswd, "--tls", certificates.CertFile, certificates.KeyFile, "--storage", Path.Combine(registryDir, "storage"));
            await File.WriteAllTextAsync(registry.RegistriesFile, registry.RegistriesYaml(port, certificates.CaFile));
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        await RunScriptAsync("registry.sh", "STOP", _authenticatedDir);
        await RunScriptAsync("registry.sh", "STOP", _registryDir);
    }

    private string RegistriesYaml(int port, string caFile)
    {
        var mirror = $"http://127.0.0.1:{port}";
        return "mirrors:\n"
            + string.Concat(_mirrored.Select(host => $"  {host}:\n    endpoint:\n      - {mirror}\n"))
            + $"  {RewriteHost}:\n    endpoint:\n      - {mirror}\n    rewrite:\n      \"^{RewrittenPrefix}/(.*)\": \"library/$1\"\n"
            + $"  \"*\":\n    endpoint:\n      - {mirror}\n"
            // The authenticated registry is its own mirror entry, so the "*" mirror does not catch it.
            + $"  \"{AuthenticatedHost}\":\n    endpoint:\n      - https://{AuthenticatedHost}\n"
            + $"  \"{AuthenticatedHostByName}\":\n    endpoint:\n      - https://{AuthenticatedHostByName}\n"
            + "configs:\n"
            + $"  \"{AuthenticatedHost}\":\n    auth:\n      username: {Username}\n      password: {Password}\n    tls:\n      ca_file: {caFile}\n"
            + $"  \"{AuthenticatedHostByName}\":\n    tls:\n      ca_file: {caFile}\n";
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task RunScriptAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(ServerProcess.RepoRoot!, "tests", "images", script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/images/{script} {string.Join(' ', args)} failed: {await output}{await errors}");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
