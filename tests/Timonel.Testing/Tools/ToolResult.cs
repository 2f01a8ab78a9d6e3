namespace Timonel.Testing.Tools;

/// <summary>How a command-line tool run ended: its exit code and everything it wrote.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>This result when the tool exited 0; otherwise an exception carrying what the tool said.</summary>
    public ToolResult EnsureSuccess() => Succeeded
        ? this
        : throw new InvalidOperationException($"`{CommandLine}` exited {ExitCode}:\n{Output}\n{Error}");
}
