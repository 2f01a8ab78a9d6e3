using System.Diagnostics;

namespace Timonel.Testing.Tools;

/// <summary>Runs a command-line tool to its end and collects its output, killing it when it overruns.</summary>
public static class Tool
{
    private static readonly TimeSpan _defaultTimeout = TimeSpan.FromMinutes(2);

    public static Task<ToolResult> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, _defaultTimeout);

    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(file));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"`{commandLine}` did not finish within {timeout}:\n{await output}\n{await error}");
        }

        return new ToolResult(process.ExitCode, await output, await error, commandLine);
    }
}
