using System.Diagnostics;
using System.Text;

namespace Timonel.IntegrationTests;

/// <summary>
/// A <c>timonel</c> verb (agent, token...) as a child process through the repo-root launcher, which execs the
/// binary; what it prints is kept for failure messages.
/// </summary>
public sealed class TimonelProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private TimonelProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process printed so far.</summary>
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

    public bool HasExited => _process.HasExited;

    public static TimonelProcess Start(params string[] args) => new(Process.Start(StartInfo(args))!);

    /// <summary>Runs to the end: the exit code, and standard output (with standard error after it when it failed).</summary>
    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, process.ExitCode == 0 ? await output : await output + await error);
    }

    /// <summary>SIGTERM, as a service manager stops it, then waits for it to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
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

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var root = ServerProcess.RepoRoot ?? throw new InvalidOperationException("the repository root (with ./timonel) was not found above " + AppContext.BaseDirectory);
        var start = new ProcessStartInfo(Path.Combine(root, "timonel"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
