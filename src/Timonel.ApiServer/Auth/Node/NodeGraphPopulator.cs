using Microsoft.Extensions.Logging;
using Timonel.ApiServer.Watch;

namespace Timonel.ApiServer.Auth.Node;

/// <summary>
/// Keeps a <see cref="NodeGraph"/> current from the watch cache (upstream's graph_populator.go feeds it from
/// informers): the cache's current pods and persistent volumes, then its events, all in memory, so authorizing a
/// node's request never reads the datastore. A watch the cache closes (this reader fell behind) is followed by a
/// fresh list. Stops when the cache does.
/// </summary>
public sealed class NodeGraphPopulator
{
    private const string PodsPrefix = "/registry/pods/";
    private const string VolumesPrefix = "/registry/persistentvolumes/";

    private readonly WatchCache _cache;
    private readonly NodeGraph _graph;
    private readonly ILogger _logger;

    private NodeGraphPopulator(WatchCache cache, NodeGraph graph, ILogger logger)
    {
        _cache = cache;
        _graph = graph;
        _logger = logger;
    }

    /// <summary>
    /// Fills <paramref name="graph"/> from what the (started) cache holds now, before returning, so a node's first
    /// request after the server starts is judged on every pod; then follows the cache in the background.
    /// </summary>
    public static NodeGraph Start(WatchCache cache, ILogger logger, NodeGraph? graph = null)
    {
        graph ??= new NodeGraph();
        var populator = new NodeGraphPopulator(cache, graph, logger);
        var pods = populator.Follow(PodsPrefix, graph.ClearPods, (type, obj) =>
        {
            if (type == "DELETED")
            {
                graph.RemovePod(obj);
            }
            else
            {
                graph.SetPod(obj);
            }
        });
        var volumes = populator.Follow(VolumesPrefix, graph.ClearPersistentVolumes, (type, obj) =>
        {
            if (type == "DELETED")
            {
                graph.RemovePersistentVolume(obj);
            }
            else
            {
                graph.SetPersistentVolume(obj);
            }
        });
        var stopping = cache.Stopping;
        _ = Task.Run(() => populator.RunAsync(PodsPrefix, pods, graph.ClearPods, stopping), CancellationToken.None);
        _ = Task.Run(() => populator.RunAsync(VolumesPrefix, volumes, graph.ClearPersistentVolumes, stopping), CancellationToken.None);
        return graph;
    }

    // Lists the prefix into the graph and opens a watch from the listed revision (the cache replays what happened
    // between the two).
    private Subscription Follow(string prefix, Action clear, Action<string, System.Text.Json.Nodes.JsonObject> apply)
    {
        var (items, revision) = _cache.List(prefix);
        clear();
        foreach (var kv in items)
        {
            apply("ADDED", StoredObject.Decode(kv));
        }

        return new Subscription(_cache.Watch(prefix, revision), apply);
    }

    private async Task RunAsync(string prefix, Subscription subscription, Action clear, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using (subscription.Watcher)
                {
                    await foreach (var change in subscription.Watcher.Events.ReadAllAsync(stopping))
                    {
                        subscription.Apply(change.Type, change.DecodeObject());
                    }
                }

                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                subscription = Follow(prefix, clear, subscription.Apply);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "node authorizer graph: following {Prefix} failed; listing again", prefix);
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                subscription = Follow(prefix, clear, subscription.Apply);
            }
        }
    }

    private sealed record Subscription(Watcher Watcher, Action<string, System.Text.Json.Nodes.JsonObject> Apply);
}
