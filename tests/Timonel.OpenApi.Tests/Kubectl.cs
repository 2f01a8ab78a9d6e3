using System.Diagnostics;

namespace Timonel.OpenApi.Tests;

/// <summary>Runs the real kubectl against a server URL with a private cache and no kubeconfig.</summary>
internal static class Kubectl
{
    public const string Path = "/usr/bin/kubectl";

    public static bool Installed => File.Exists(Path);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string server, params string[] args)
    {
        var home = Directory.CreateTempSubdirectory("timonel-kubectl-");
        try
        {
            var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.ArgumentList.Add("--server=" + server);
            start.ArgumentList.Add("--cache-dir=" + System.IO.Path.Combine(home.FullName, "cache"));
            start.Environment["HOME"] = home.FullName;
            start.Environment["KUBECONFIG"] = System.IO.Path.Combine(home.FullName, "config");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
