using System.Diagnostics;
using Timonel.Testing;

namespace Timonel.Agent.Tests.Integration;

/// <summary>
/// The agent's containerd told by registries.yaml to take docker.io images from a local mirror: Debian's
/// docker-registry on 127.0.0.1, holding busybox under the tag <see cref="MirroredBusybox"/>.
/// </summary>
public sealed class MirroredContainerdFixture : ContainerdFixture
{
    public const string MirroredBusybox = "docker.io/library/busybox:mirrored";

    private const string RegistryBinary = "/usr/bin/docker-registry";

    private readonly int _port = FreePort.Next();
    private Process? _registry;

    public string MirrorHost => $"127.0.0.1:{_port}";

    protected override string? ExtraSkipReason => File.Exists(RegistryBinary) ? null : $"{RegistryBinary} is missing (Debian package docker-registry)";

    protected override async Task<string> RegistriesYamlAsync()
    {
        var dir = Path.Combine(Root, "registry");
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
            http:
              addr: {MirrorHost}
            """);
        _registry = Process.Start(new ProcessStartInfo(RegistryBinary, ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _registry.OutputDataReceived += (_, _) => { };
        _registry.ErrorDataReceived += (_, _) => { };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        await WaitForRegistryAsync();
        var push = Process.Start(new ProcessStartInfo("skopeo", ["copy", "--quiet", "--dest-tls-verify=false", $"oci-archive:{Path.Combine(Paths.ImagesDir, "busybox.tar")}", $"docker://{MirrorHost}/library/busybox:mirrored"]) { RedirectStandardError = true })!;
        var errors = await push.StandardError.ReadToEndAsync();
        await push.WaitForExitAsync();
        if (push.ExitCode != 0)
        {
            throw new InvalidOperationException($"pushing busybox to the mirror failed: {errors}");
        }

        return $"""
            mirrors:
              docker.io:
                endpoint:
                  - "http://{MirrorHost}"
            """;
    }

    protected override async Task CleanUpAsync()
    {
        if (_registry is { HasExited: false })
        {
            _registry.Kill();
            await _registry.WaitForExitAsync();
        }

        _registry?.Dispose();
    }

    private async Task WaitForRegistryAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri($"http://{MirrorHost}/v2/"));
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"docker-registry did not answer on {MirrorHost}");
    }
}
