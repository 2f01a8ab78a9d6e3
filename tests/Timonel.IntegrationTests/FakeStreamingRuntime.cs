using System.Collections.Concurrent;
using Timonel.Agent.Kubelet;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.IntegrationTests;

/// <summary>
/// A container runtime holding only what the kubelet server reads: containers with their labels, states and log
/// files, ready sandboxes, and exec/attach URLs on a <see cref="FakeStreamingServer"/>. Pod lifecycle calls are not
/// part of these tests and throw.
/// </summary>
public sealed class FakeStreamingRuntime : IContainerRuntime
{
    private readonly List<(Container Container, string LogPath)> _containers = [];
    private readonly List<PodSandbox> _sandboxes = [];
    private readonly ConcurrentDictionary<string, ExecRequest> _sessions = new();
    private int _tokens;

    public Uri? StreamingServer { get; set; }

    /// <summary>The exec (or attach, as an exec of no command) a streaming token stands for.</summary>
    public ExecRequest? Session(string token) => _sessions.GetValueOrDefault(token);

    public void AddContainer(string ns, string pod, string name, string id, uint attempt, ContainerState state, string logPath)
    {
        var container = new Container { Id = id, State = state, CreatedAt = attempt, Metadata = new ContainerMetadata { Name = name, Attempt = attempt } };
        container.Labels.Add(KubeletLabels.PodNamespace, ns);
        container.Labels.Add(KubeletLabels.PodName, pod);
        container.Labels.Add(KubeletLabels.ContainerName, name);
        _containers.Add((container, logPath));
    }

    public void AddSandbox(string ns, string pod, string id)
    {
        var sandbox = new PodSandbox { Id = id, State = PodSandboxState.SandboxReady };
        sandbox.Labels.Add(KubeletLabels.PodNamespace, ns);
        sandbox.Labels.Add(KubeletLabels.PodName, pod);
        _sandboxes.Add(sandbox);
    }

    public Task<IReadOnlyList<Container>> ListContainersAsync(ContainerFilter? filter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Container>>([.. _containers.Select(c => c.Container).Where(c => Matches(c.Labels, filter?.LabelSelector))]);

    public Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync(PodSandboxFilter? filter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PodSandbox>>([.. _sandboxes.Where(s => Matches(s.Labels, filter?.LabelSelector))]);

    public Task<ContainerStatus?> ContainerStatusAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(_containers.Where(c => c.Container.Id == containerId)
            .Select(c => new ContainerStatus { Id = containerId, State = c.Container.State, LogPath = c.LogPath, Metadata = c.Container.Metadata })
            .FirstOrDefault());

    public Task<string> ExecAsync(ExecRequest request, CancellationToken cancellationToken) => Task.FromResult(Url("exec", request));

    public Task<string> AttachAsync(AttachRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Url("attach", new ExecRequest { ContainerId = request.ContainerId, Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr, Tty = request.Tty }));

    /// <summary>A port-forward, as an exec whose only argument is the port.</summary>
    public Task<string> PortForwardAsync(PortForwardRequest request, CancellationToken cancellationToken)
    {
        var session = new ExecRequest { ContainerId = request.PodSandboxId };
        session.Cmd.AddRange(request.Port.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Task.FromResult(Url("portforward", session));
    }

    public Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> RunPodSandboxAsync(PodSandboxConfig config, string runtimeHandler, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopPodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemovePodSandboxAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PodSandboxStatus?> PodSandboxStatusAsync(string podSandboxId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CreateContainerAsync(string podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopContainerAsync(string containerId, long timeoutSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecSyncResponse> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    private string Url(string kind, ExecRequest request)
    {
        var token = $"{kind}-{Interlocked.Increment(ref _tokens)}";
        _sessions[token] = request;
        return new Uri(StreamingServer!, $"/{kind}/{token}").ToString();
    }

    private static bool Matches(IDictionary<string, string> labels, IDictionary<string, string>? selector) =>
        selector is null || selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
