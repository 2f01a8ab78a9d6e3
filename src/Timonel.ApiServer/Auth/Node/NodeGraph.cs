using System.Text.Json.Nodes;
using Timonel.ApiServer.Json;

namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// Which objects each node may reach (upstream's node authorizer graph, plugin/pkg/auth/authorizer/node/graph.go):
/// a pod bound to a node relates the node to the pod, its service account, secrets, configmaps and claims; a
/// persistent volume bound to a claim a node reaches relates the node to the volume and the volume's secrets.
/// Upstream keeps a general graph and walks it; the paths are at most pod → claim → volume → secret, so this keeps
/// per node a reference count of what its pods reach directly, and answers the volume hops with two small indexes.
/// Fed from the watch cache by <see cref="NodeGraphPopulator"/>; every method is thread-safe.
/// </summary>
public sealed class NodeGraph
{
    private readonly Lock _lock = new();

    // Pods bound to a node, by namespace/name: the node and what the pod refers to (pods' references never change
    // once bound, but a pod can be replaced under the same name).
    private readonly Dictionary<string, (string Node, IReadOnlyList<GraphReference> References)> _pods = new(StringComparer.Ordinal);

    // How many bound pods relate each node to each object: the object is reachable while the count is above zero.
    private readonly Dictionary<(string Node, GraphReference Reference), int> _reach = [];
    private readonly Dictionary<string, int> _podsPerNode = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (GraphReference? Claim, IReadOnlyList<GraphReference> Secrets)> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<GraphReference, HashSet<string>> _volumesBySecret = [];

    /// <summary>Adds, replaces or (when it is not bound to a node) removes a pod.</summary>
    public void SetPod(JsonObject pod)
    {
        var key = PodKey(pod);
        var node = pod.StringAt("spec", "nodeName") ?? "";
        lock (_lock)
        {
            RemovePodLocked(key);
            if (node.Length == 0)
            {
                return;
            }

            var references = PodReferences.Of(pod);
            _pods[key] = (node, references);
            _podsPerNode[node] = _podsPerNode.GetValueOrDefault(node) + 1;
            foreach (var reference in references)
            {
                _reach[(node, reference)] = _reach.GetValueOrDefault((node, reference)) + 1;
            }
        }
    }

    public void RemovePod(JsonObject pod)
    {
        lock (_lock)
        {
            RemovePodLocked(PodKey(pod));
        }
    }

    /// <summary>Adds or replaces a persistent volume.</summary>
    public void SetPersistentVolume(JsonObject pv)
    {
        var name = pv.StringAt("metadata", "name") ?? "";
        var claim = PersistentVolumeReferences.Claim(pv);
        var secrets = PersistentVolumeReferences.Secrets(pv);
        lock (_lock)
        {
            RemoveVolumeLocked(name);
            _volumes[name] = (claim, secrets);
            foreach (var secret in secrets)
            {
                if (!_volumesBySecret.TryGetValue(secret, out var volumes))
                {
                    _volumesBySecret[secret] = volumes = new HashSet<string>(StringComparer.Ordinal);
                }

                volumes.Add(name);
            }
        }
    }

    public void RemovePersistentVolume(JsonObject pv)
    {
        lock (_lock)
        {
            RemoveVolumeLocked(pv.StringAt("metadata", "name") ?? "");
        }
    }

    /// <summary>Forgets every pod (before a relist refills them).</summary>
    public void ClearPods()
    {
        lock (_lock)
        {
            _pods.Clear();
            _reach.Clear();
            _podsPerNode.Clear();
        }
    }

    /// <summary>Forgets every persistent volume (before a relist refills them).</summary>
    public void ClearPersistentVolumes()
    {
        lock (_lock)
        {
            _volumes.Clear();
            _volumesBySecret.Clear();
        }
    }

    /// <summary>Whether some pod bound to the node relates it to this object (upstream's hasPathFrom).</summary>
    public bool HasPath(string node, VertexType type, string ns, string name)
    {
        lock (_lock)
        {
            if (!_podsPerNode.ContainsKey(node))
            {
                return false;
            }

            return type == VertexType.PersistentVolume
                ? ReachesVolumeLocked(node, name)
                : _reach.ContainsKey((node, new GraphReference(type, ns, name)))
                    || (type == VertexType.Secret && _volumesBySecret.TryGetValue(new GraphReference(type, ns, name), out var volumes) && volumes.Any(v => ReachesVolumeLocked(node, v)));
        }
    }

    private bool ReachesVolumeLocked(string node, string volume) =>
        _volumes.TryGetValue(volume, out var pv) && pv.Claim is { } claim && _reach.ContainsKey((node, claim));

    private void RemovePodLocked(string key)
    {
        if (!_pods.Remove(key, out var old))
        {
            return;
        }

        foreach (var reference in old.References)
        {
            var count = _reach[(old.Node, reference)] - 1;
            if (count == 0)
            {
                _reach.Remove((old.Node, reference));
            }
            else
            {
                _reach[(old.Node, reference)] = count;
            }
        }

        var pods = _podsPerNode[old.Node] - 1;
        if (pods == 0)
        {
            // Upstream drops a node's vertex once nothing points at it.
            _podsPerNode.Remove(old.Node);
        }
        else
        {
            _podsPerNode[old.Node] = pods;
        }
    }

    private void RemoveVolumeLocked(string name)
    {
        if (!_volumes.Remove(name, out var old))
        {
            return;
        }

        foreach (var secret in old.Secrets)
        {
            if (_volumesBySecret.TryGetValue(secret, out var volumes) && volumes.Remove(name) && volumes.Count == 0)
            {
                _volumesBySecret.Remove(secret);
            }
        }
    }

    private static string PodKey(JsonObject pod) => (pod.StringAt("metadata", "namespace") ?? "") + "/" + (pod.StringAt("metadata", "name") ?? "");
}
