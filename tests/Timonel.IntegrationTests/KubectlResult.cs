namespace Timonel.IntegrationTests;

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    public KubectlResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {Command} exited {ExitCode}:\n{Stderr}\n{Stdout}");
        }

        return this;
    }

    public override string ToString() => $"kubectl {Command} => {ExitCode}\n{Stdout}\n{Stderr}";
}
