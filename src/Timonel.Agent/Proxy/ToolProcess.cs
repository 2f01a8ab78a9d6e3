using System.ComponentModel;
using System.Diagnostics;

namespace Timonel.Agent.Proxy;

/// <summary>Runs a rules tool (nft, iptables-nft-restore) with an optional standard input and collects what it says.</summary>
internal static class ToolProcess
{
    /// <summary>Whether the command runs and exits with 0 (the tool is installed and the kernel answers it).</summary>
    public static bool Succeeds(string file, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            // Read both to the end: a tool whose output fills the pipe would otherwise never exit.
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            error.Wait();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    /// <exception cref="Win32Exception">The file could not be started (not installed).</exception>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new Win32Exception($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
