using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// What the runtime holds of one pod, found by its uid label (kubecontainer.PodStatus): its sandboxes, newest first,
/// and its containers' statuses, oldest first.
/// </summary>
internal sealed class PodRuntimeState
{
    private PodRuntimeState(IReadOnlyList<PodSandboxStatus> sandboxes, IReadOnlyList<ContainerStatus> containers)
    {
        Sandboxes = sandboxes;
        Containers = containers;
    }

    public IReadOnlyList<PodSandboxStatus> Sandboxes { get; }

    public IReadOnlyList<ContainerStatus> Containers { get; }

    /// <summary>The newest sandbox if it is ready: the one the pod's containers run in.</summary>
    public PodSandboxStatus? ReadySandbox => Sandboxes.Count > 0 && Sandboxes[0].State == PodSandboxState.SandboxReady ? Sandboxes[0] : null;

    /// <summary>The sandbox's IPs, the primary one first.</summary>
    public IReadOnlyList<string> PodIPs => ReadySandbox?.Network is { } network && network.Ip.Length > 0
        ? [network.Ip, .. network.AdditionalIps.Select(ip => ip.Ip)]
        : [];

    public IEnumerable<ContainerStatus> Running => Containers.Where(c => c.State == ContainerState.ContainerRunning);

    public static async Task<PodRuntimeState> ReadAsync(IContainerRuntime runtime, string podUid, CancellationToken cancellationToken)
    {
        var sandboxFilter = new PodSandboxFilter();
        sandboxFilter.LabelSelector.Add(KubeletLabels.PodUid, podUid);
        var sandboxes = new List<PodSandboxStatus>();
        foreach (var sandbox in (await runtime.ListPodSandboxAsync(sandboxFilter, cancellationToken)).OrderByDescending(s => s.CreatedAt))
        {
            if (await runtime.PodSandboxStatusAsync(sandbox.Id, cancellationToken) is { } status)
            {
                sandboxes.Add(status);
            }
        }

        var containerFilter = new ContainerFilter();
        containerFilter.LabelSelector.Add(KubeletLabels.PodUid, podUid);
        var containers = new List<ContainerStatus>();
        foreach (var container in (await runtime.ListContainersAsync(containerFilter, cancellationToken)).OrderBy(c => c.CreatedAt))
        {
            if (await runtime.ContainerStatusAsync(container.Id, cancellationToken) is { } status)
            {
                containers.Add(status);
            }
        }

        return new PodRuntimeState(sandboxes, containers);
    }

    /// <summary>The container's instances, oldest first.</summary>
    public IReadOnlyList<ContainerStatus> Named(string name) => [.. Containers.Where(c => NameOf(c) == name)];

    public ContainerStatus? Latest(string name) => Named(name) is { Count: > 0 } all ? all[^1] : null;

    /// <summary>The instance before the latest (status.lastState).</summary>
    public ContainerStatus? Previous(string name) => Named(name) is { Count: > 1 } all ? all[^2] : null;

    public static string NameOf(ContainerStatus container) =>
        container.Labels.TryGetValue(KubeletLabels.ContainerName, out var name) ? name : container.Metadata?.Name ?? "";

    /// <summary>The restart count the kubelet wrote on the instance (its annotation), else its CRI attempt.</summary>
    public static int RestartCount(ContainerStatus container) =>
        container.Annotations.TryGetValue(KubeletLabels.RestartCountAnnotation, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? count
            : (int)(container.Metadata?.Attempt ?? 0);

    /// <summary>A CRI time (nanoseconds since the epoch).</summary>
    public static DateTimeOffset Time(long nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100);
}
