using Timonel.Agent.Kubelet.Cri.V1;
using Timonel.Agent.Kubelet.Runtime;

namespace Timonel.Agent.Kubelet.PodWorkers;

/// <summary>
/// Notices what changed in the runtime since the last look (the generic PLEG's relist): a container that started,
/// exited or vanished, a sandbox that died; answers the uids of the pods concerned, whose workers then sync.
/// </summary>
internal sealed class RuntimeRelist
{
    private readonly IContainerRuntime _runtime;
    private Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public RuntimeRelist(IContainerRuntime runtime) => _runtime = runtime;

    public async Task<IReadOnlyList<string>> ChangedPodsAsync(CancellationToken cancellationToken)
    {
        var containers = await _runtime.ListContainersAsync(null, cancellationToken);
        var sandboxes = await _runtime.ListPodSandboxAsync(null, cancellationToken);
        var now = containers.Select(c => (Uid: PodUid(c.Labels), Entry: $"{c.Id}={c.State}"))
            .Concat(sandboxes.Select(s => (Uid: PodUid(s.Labels), Entry: $"{s.Id}={s.State}")))
            .Where(e => e.Uid.Length > 0)
            .GroupBy(e => e.Uid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(e => e.Entry).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
        var changed = now.Where(kv => !_last.TryGetValue(kv.Key, out var before) || before != kv.Value).Select(kv => kv.Key)
            .Concat(_last.Keys.Where(uid => !now.ContainsKey(uid)))
            .ToList();
        _last = now;
        return changed;
    }

    private static string PodUid(Google.Protobuf.Collections.MapField<string, string> labels) =>
        labels.TryGetValue(KubeletLabels.PodUid, out var uid) ? uid : "";
}
