using System.Diagnostics;

namespace Timonel.Agent.Tests.Integration;

/// <summary>
/// The two images the runtime tests need, built offline from Debian's busybox-static with umoci and skopeo as
/// OCI tarballs: <c>docker.io/library/busybox:latest</c> and the sandbox image <c>registry.k8s.io/pause:3.10</c>
/// (busybox sleeping forever, standing in for pause).
/// </summary>
internal static class TestImageTarballs
{
    public const string Busybox = "docker.io/library/busybox:latest";
    public const string Pause = "registry.k8s.io/pause:3.10";

    private static readonly string[] _tools = ["/usr/bin/umoci", "/usr/bin/skopeo", "/bin/busybox"];
    private static readonly string[] _applets = ["sh", "sleep", "echo", "cat", "ls", "hostname", "ip", "true"];

    /// <summary>Why the images cannot be built here, or null.</summary>
    public static string? UnavailableReason =>
        _tools.FirstOrDefault(tool => !File.Exists(tool)) is { } missing ? $"{missing} is missing (Debian packages umoci, skopeo, busybox-static)" : null;

    /// <summary>Writes busybox.tar and pause.tar into <paramref name="dir"/>.</summary>
    public static async Task BuildAsync(string dir, string workDir)
    {
        var rootfs = Path.Combine(workDir, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in _applets)
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        var layout = Path.Combine(workDir, "layout");
        await RunAsync("umoci", "init", "--layout", layout);
        await RunAsync("umoci", "new", "--image", layout + ":base");
        await RunAsync("umoci", "insert", "--image", layout + ":base", rootfs, "/");
        await RunAsync("umoci", "config", "--image", layout + ":base", "--tag", "busybox", "--config.cmd", "sh");
        await RunAsync("umoci", "config", "--image", layout + ":base", "--tag", "pause", "--config.entrypoint", "/bin/sleep", "--config.cmd", "2147483647");
        Directory.CreateDirectory(dir);
        await RunAsync("skopeo", "copy", "--quiet", $"oci:{layout}:busybox", $"oci-archive:{Path.Combine(dir, "busybox.tar")}:{Busybox}");
        await RunAsync("skopeo", "copy", "--quiet", $"oci:{layout}:pause", $"oci-archive:{Path.Combine(dir, "pause.tar")}:{Pause}");
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {await errors}{await output}");
        }
    }
}
