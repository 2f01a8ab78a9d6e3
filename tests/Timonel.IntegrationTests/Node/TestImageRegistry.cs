using System.Diagnostics;

namespace Timonel.IntegrationTests.Node;

/// <summary>
/// The test images offline for a node agent: built by tests/images/build.sh into the agent's air-gap folder (imported
/// at its start), and pushed to Debian's docker-registry on a loopback port that a registries.yaml names as the mirror
/// of their registries, so pulls with imagePullPolicy Always work without internet too.
/// </summary>
public sealed class TestImageRegistry : IAsyncDisposable
{
    private static readonly string[] _mirrored = ["docker.io", "gcr.io", "registry.k8s.io"];
    private readonly string _registryDir;

    private TestImageRegistry(string registryDir, string registriesFile)
    {
        _registryDir = registryDir;
        RegistriesFile = registriesFile;
    }

    /// <summary>The registries.yaml to give the agent with --private-registry.</summary>
    public string RegistriesFile { get; }

    /// <param name="workDir">Where the registry keeps its data and the registries.yaml is written.</param>
    /// <param name="imagesDir">The agent's air-gap folder, DATA/agent/images.</param>
    public static async Task<TestImageRegistry> StartAsync(string workDir, string imagesDir)
    {
        var registryDir = Path.Combine(workDir, "registry");
        var port = FreePort();
        await RunScriptAsync("registry.sh", "START", registryDir, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var registry = new TestImageRegistry(registryDir, Path.Combine(workDir, "registries.yaml"));
        try
        {
            await RunScriptAsync("build.sh", imagesDir, "--push", $"127.0.0.1:{port}");
            await File.WriteAllTextAsync(registry.RegistriesFile, "mirrors:\n" + string.Concat(_mirrored.Select(host => $"  {host}:\n    endpoint:\n      - http://127.0.0.1:{port}\n")));
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }

        return registry;
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync("registry.sh", "STOP", _registryDir);

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
