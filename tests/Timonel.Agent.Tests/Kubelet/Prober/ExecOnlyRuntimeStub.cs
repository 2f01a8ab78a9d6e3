using Google.Protobuf;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Tests.Kubelet.Prober;

/// <summary>
/// The part of <see cref="IContainerRuntime"/> the prober uses (ExecSync), answering from a script per command
/// and recording the commands run; every other call is not needed here. A general fake runtime may replace it.
/// </summary>
internal sealed class ExecOnlyRuntimeStub : IContainerRuntime
{
    private readonly Dictionary<string, Queue<(int ExitCode, string Output)>> _script = new(StringComparer.Ordinal);

    /// <summary>An answer's exit code that makes the call fail, as a runtime error, with the answer's output as the message.</summary>
    public const int RuntimeError = int.MinValue;

    /// <summary>Every command run, as "containerId: command words".</summary>
    public List<string> Runs { get; } = [];

    /// <summary>The answer to a command once its scripted answers run out.</summary>
    public (int ExitCode, string Output) Otherwise { get; set; } = (0, "");

    /// <summary>Queues answers for a command (its words joined by spaces).</summary>
    public void Script(string command, params (int ExitCode, string Output)[] answers)
    {
        if (!_script.TryGetValue(command, out var queue))
        {
            _script[command] = queue = new Queue<(int, string)>();
        }

        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    public int RunsOf(string command) => Runs.Count(run => run.EndsWith(": " + command, StringComparison.Ordinal));

    public Task<ExecSyncResponse> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = string.Join(' ', command);
        lock (Runs)
        {
            Runs.Add($"{containerId}: {text}");
        }

        var (exitCode, output) = _script.TryGetValue(text, out var queue) && queue.Count > 0 ? queue.Dequeue() : Otherwise;
        if (exitCode == RuntimeError)
        {
            throw new InvalidOperationException(output);
        }

        return Task.FromResult(new ExecSyncResponse { ExitCode = exitCode, Stdout = ByteString.CopyFromUtf8(output) });
    }

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> RunPodSandboxAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopPodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemovePodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PodSandboxStatus?> PodSandboxStatusAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync(PodSandboxFilter? filter, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CreateContainerAsync(string podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopContainerAsync(string containerId, long timeoutSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<Container>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStatus?> ContainerStatusAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> ExecAsync(ExecRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> AttachAsync(AttachRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
}
