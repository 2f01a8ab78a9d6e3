using System.Diagnostics;

namespace Timonel.IntegrationTests;

/// <summary>Runs the real kubectl against a test cluster.</summary>
public sealed class Kubectl
{
    public const string Path = "/usr/bin/kubectl";
    private readonly string _kubeconfig;

    public Kubectl(string kubeconfig) => _kubeconfig = kubeconfig;

    public static bool IsInstalled => File.Exists(Path);

    public static string SkipReason => $"the real kubectl is not installed at {Path}";

    public async Task<KubectlResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<KubectlResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["HOME"] = System.IO.Path.GetDirectoryName(_kubeconfig)!;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    /// <summary>Starts a long-running kubectl (get -w) and returns the process; the caller kills it.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["HOME"] = System.IO.Path.GetDirectoryName(_kubeconfig)!;
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
