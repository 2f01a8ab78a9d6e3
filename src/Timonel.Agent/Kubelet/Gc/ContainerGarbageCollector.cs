using Microsoft.Extensions.Logging;
using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.PodWorkers;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.Gc;

/// <summary>
/// Removes what the runtime no longer needs (kuberuntime_gc.go): exited containers beyond the newest one of each
/// name (kept for <c>kubectl logs --previous</c>), sandboxes that are not ready and hold nothing of a live pod,
/// and everything of pods no longer bound here: their running containers stopped, then removed with their sandboxes.
/// </summary>
internal sealed class ContainerGarbageCollector
{
    private readonly IContainerRuntime _runtime;
    private readonly ILogger _logger;

    public ContainerGarbageCollector(IContainerRuntime runtime, ILogger logger)
    {
        _runtime = runtime;
        _logger = logger;
    }

    /// <param name="livePods">The uids of the pods bound here (finished or not: a finished pod keeps its containers for its logs).</param>
    public async Task CollectAsync(IReadOnlySet<string> livePods, CancellationToken cancellationToken)
    {
        var containers = await _runtime.ListContainersAsync(null, cancellationToken);
        foreach (var pod in containers.Where(c => c.Labels.ContainsKey(KubeletLabels.PodUid)).GroupBy(c => c.Labels[KubeletLabels.PodUid], StringComparer.Ordinal))
        {
            var live = livePods.Contains(pod.Key);
            foreach (var byName in pod.GroupBy(c => c.Labels.TryGetValue(KubeletLabels.ContainerName, out var name) ? name : c.Metadata?.Name ?? "", StringComparer.Ordinal))
            {
                var newestFirst = byName.OrderByDescending(c => c.CreatedAt).ToList();
                var remove = live ? newestFirst.Where(c => c.State == ContainerState.ContainerExited).Skip(1) : newestFirst;
                foreach (var container in remove)
                {
                    await RemoveContainerAsync(container, cancellationToken);
                }
            }
        }

        var sandboxes = await _runtime.ListPodSandboxAsync(null, cancellationToken);
        foreach (var pod in sandboxes.Where(s => s.Labels.ContainsKey(KubeletLabels.PodUid)).GroupBy(s => s.Labels[KubeletLabels.PodUid], StringComparer.Ordinal))
        {
            var live = livePods.Contains(pod.Key);
            // A live pod keeps its newest sandbox even when it died: its IP and attempt count tell the next one's.
            foreach (var sandbox in pod.OrderByDescending(s => s.CreatedAt).Skip(live ? 1 : 0).Where(s => !live || s.State != PodSandboxState.SandboxReady))
            {
                _logger.LogInformation("removing sandbox {Sandbox} of pod {Uid}", sandbox.Id, pod.Key);
                await _runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
                await _runtime.RemovePodSandboxAsync(sandbox.Id, cancellationToken);
            }
        }
    }

    private async Task RemoveContainerAsync(Container container, CancellationToken cancellationToken)
    {
        if (container.State == ContainerState.ContainerRunning)
        {
            await _runtime.StopContainerAsync(container.Id, PodTerminator.MinimumGraceSeconds, cancellationToken);
        }

        await _runtime.RemoveContainerAsync(container.Id, cancellationToken);
    }
}
