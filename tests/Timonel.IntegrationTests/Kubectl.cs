using System.Diagnostics;

namespace Timonel.IntegrationTests;

/// <summary>Runs the real kubectl against a test cluster.</summary>
public sealed class Kubectl
{
    public const string Path = "/usr/bin/kubectl";
    private readonly string _kubeconfig;
    private readonly IReadOnlyDictionary<string, string> _environment;

    public Kubectl(string kubeconfig, IReadOnlyDictionary<string, string>? environment = null)
    {
        _kubeconfig = kubeconfig;
        _environment = environment ?? new Dictionary<string, string>();
    }

    /// <summary>The same kubectl with one more environment variable (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false and the like).</summary>
    public Kubectl WithEnvironment(string name, string value) =>
        new(_kubeconfig, new Dictionary<string, string>(_environment) { [name] = value });

    public static bool IsInstalled => File.Exists(Path);

    public static string SkipReason => $"the real kubectl is not installed at {Path}";

    public async Task<KubectlResult> RunAsync(params string[] args) => await RunWithInputAsync(null, args);

    public async Task<KubectlResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Process.Start(StartInfo(args, redirectInput: stdin is not null))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        // kubectl's own --timeout (rollout status, wait, delete) has the first word; past it and a margin, the run is
        // stopped and reported as a failure that names the command, not as a cancelled task.
        var patience = TimeSpan.FromSeconds(60) + OwnTimeout(args);
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new KubectlResult(-1, await stdout, $"kubectl did not finish within {patience.TotalSeconds} s\n" + await stderr, string.Join(' ', args));
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    private static TimeSpan OwnTimeout(string[] args)
    {
        var flag = args.FirstOrDefault(arg => arg.StartsWith("--timeout=", StringComparison.Ordinal));
        return flag is not null && flag.EndsWith('s') && int.TryParse(flag["--timeout=".Length..^1], System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.Zero;
    }

    /// <summary>Starts a long-running kubectl (get -w) and returns the process; the caller kills it.</summary>
    public Process Start(params string[] args) => Process.Start(StartInfo(args, redirectInput: false))!;

    private ProcessStartInfo StartInfo(string[] args, bool redirectInput)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["HOME"] = System.IO.Path.GetDirectoryName(_kubeconfig)!;
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
