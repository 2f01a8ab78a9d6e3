using System.Diagnostics;

namespace Timonel.Protobuf.Tests;

/// <summary>Runs the real kubectl against a test server, isolated from the user's kubeconfig and cache.</summary>
internal static class Kubectl
{
    public const string Path = "/usr/bin/kubectl";

    public static bool IsMissing => !File.Exists(Path);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string server, string cacheDir, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--server", server, "--cache-dir", cacheDir, "--namespace", "default" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
