using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Timonel.Agent.NodeAgent;

namespace Timonel.Agent.Kubelet.Status;

/// <summary>
/// Writes pods' statuses to the API server (status/status_manager.go): only when one changed, never from a terminal
/// phase back to a running one, and the final delete (grace 0, on the pod's uid) once a deleted pod's containers are gone.
/// </summary>
internal sealed class PodStatusManager
{
    private readonly INodeAgentApi _api;
    private readonly ConcurrentDictionary<string, (V1PodStatus Status, string Json)> _written = new(StringComparer.Ordinal);

    public PodStatusManager(INodeAgentApi api) => _api = api;

    /// <summary>The status last written for the pod, else the one it has.</summary>
    public V1PodStatus? Last(V1Pod pod) => _written.TryGetValue(pod.Metadata.Uid, out var written) ? written.Status : pod.Status;

    /// <summary>Writes the status if it differs from the last one written; answers whether it wrote.</summary>
    public async Task<bool> SetAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        var last = Last(pod);
        if (PodPhases.IsTerminal(last?.Phase) && !PodPhases.IsTerminal(status.Phase))
        {
            return false;
        }

        var json = KubernetesJson.Serialize(status);
        if (_written.TryGetValue(pod.Metadata.Uid, out var written) ? written.Json == json : json == KubernetesJson.Serialize(pod.Status))
        {
            return false;
        }

        await _api.PatchPodStatusAsync(pod, status, cancellationToken);
        _written[pod.Metadata.Uid] = (status, json);
        return true;
    }

    public async Task DeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        await _api.DeletePodAsync(pod, cancellationToken);
        Forget(pod.Metadata.Uid);
    }

    public void Forget(string podUid) => _written.TryRemove(podUid, out _);
}
