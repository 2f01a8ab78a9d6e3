using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Server;

/// <summary>
/// Finds a pod's containers and sandbox in the runtime by the kubelet's labels (namespace, pod name, container
/// name), as the kubelet server does to serve logs, exec, attach and port-forward.
/// </summary>
public sealed class PodContainers
{
    private readonly IContainerRuntime _runtime;

    public PodContainers(IContainerRuntime runtime) => _runtime = runtime;

    /// <summary>Every attempt of the container, newest first (the current one, then the previous ones).</summary>
    public async Task<IReadOnlyList<Container>> AttemptsAsync(string ns, string pod, string container, CancellationToken cancellationToken)
    {
        var filter = new ContainerFilter();
        filter.LabelSelector.Add(KubeletLabels.PodNamespace, ns);
        filter.LabelSelector.Add(KubeletLabels.PodName, pod);
        filter.LabelSelector.Add(KubeletLabels.ContainerName, container);
        var containers = await _runtime.ListContainersAsync(filter, cancellationToken);
        return [.. containers
            .OrderByDescending(c => c.Metadata?.Attempt ?? 0)
            .ThenByDescending(c => c.CreatedAt)];
    }

    /// <summary>The newest running attempt of the container, for exec and attach.</summary>
    public async Task<Container?> RunningAsync(string ns, string pod, string container, CancellationToken cancellationToken) =>
        (await AttemptsAsync(ns, pod, container, cancellationToken)).FirstOrDefault(c => c.State == ContainerState.ContainerRunning);

    /// <summary>The pod's newest ready sandbox, for port-forward.</summary>
    public async Task<PodSandbox?> SandboxAsync(string ns, string pod, CancellationToken cancellationToken)
    {
        var filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxReady } };
        filter.LabelSelector.Add(KubeletLabels.PodNamespace, ns);
        filter.LabelSelector.Add(KubeletLabels.PodName, pod);
        var sandboxes = await _runtime.ListPodSandboxAsync(filter, cancellationToken);
        return sandboxes.OrderByDescending(s => s.CreatedAt).FirstOrDefault();
    }

    public async Task<bool> IsRunningAsync(string containerId, CancellationToken cancellationToken) =>
        (await _runtime.ContainerStatusAsync(containerId, cancellationToken))?.State == ContainerState.ContainerRunning;

    public Task<ContainerStatus?> StatusAsync(string containerId, CancellationToken cancellationToken) =>
        _runtime.ContainerStatusAsync(containerId, cancellationToken);
}
