using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.ImageLocality;

/// <summary>
/// Prefers nodes that already hold the pod's images (upstream plugins/imagelocality): the sizes of the images present
/// (node.status.images), each scaled by the share of nodes holding it so images everywhere do not pull pods together,
/// mapped between 23 MB and 1000 MB per container to a score of 0 to 100.
/// </summary>
public sealed class ImageLocality : IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "ImageLocality";

    private const long Mb = 1024 * 1024;

    /// <summary>upstream minThreshold: smaller sums score 0.</summary>
    private const long MinThreshold = 23 * Mb;

    /// <summary>upstream maxContainerThreshold: a container's images beyond this score no more.</summary>
    private const long MaxContainerThreshold = 1000 * Mb;

    private const string PreScoreStateKey = "PreScore" + PluginName;

    private readonly FrameworkHandle _handle;

    public ImageLocality(FrameworkHandle handle) => _handle = handle;

    public string Name => PluginName;

    public IScoreExtensions? ScoreExtensions => null;

    /// <summary>
    /// Counts, once per pod, the nodes holding each of its images (what upstream's cache keeps as
    /// ImageStateSummary.NumNodes); Skip when no node holds any, so nodes reporting no images cost nothing.
    /// </summary>
    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var nodesWithImages = _handle.Snapshot.HaveImagesList;
        if (nodesWithImages.Count == 0)
        {
            return Status.Skip;
        }

        var images = Containers(pod.Pod).Select(c => NormalizedImageName(c.Image ?? "")).ToHashSet(StringComparer.Ordinal);
        var numNodes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodesWithImages)
        {
            if (node.Node?.Status?.Images is not { Count: > 0 } nodeImages)
            {
                continue;
            }

            foreach (var name in NamesOf(nodeImages))
            {
                if (images.Contains(name))
                {
                    numNodes[name] = numNodes.GetValueOrDefault(name) + 1;
                }
            }
        }

        if (numNodes.Count == 0)
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, new ImageSpread(numNodes, _handle.Snapshot.NodeInfoList.Count));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        if (state.Read<ImageSpread>(PreScoreStateKey) is not { } spread)
        {
            return (0, Status.AsStatus(new InvalidOperationException($"reading \"{PreScoreStateKey}\" from cycleState: not found")));
        }

        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var image in node.Node?.Status?.Images ?? [])
        {
            foreach (var name in image.Names ?? [])
            {
                sizes[name] = image.SizeBytes ?? 0;
            }
        }

        long sum = 0;
        var containers = 0;
        foreach (var container in Containers(pod.Pod))
        {
            containers++;
            var name = NormalizedImageName(container.Image ?? "");
            if (sizes.TryGetValue(name, out var size))
            {
                sum += ScaledImageScore(size, spread.NumNodes.GetValueOrDefault(name), spread.TotalNodes);
            }
        }

        return (CalculatePriority(sum, containers), Status.Success);
    }

    /// <summary>upstream calculatePriority: the sum clamped to [23 MB, 1000 MB × containers], mapped to [0, 100].</summary>
    internal static long CalculatePriority(long sumScores, int numContainers)
    {
        var maxThreshold = MaxContainerThreshold * numContainers;
        sumScores = Math.Clamp(sumScores, MinThreshold, Math.Max(MinThreshold, maxThreshold));
        return maxThreshold <= MinThreshold ? 0 : IScorePlugin.MaxNodeScore * (sumScores - MinThreshold) / (maxThreshold - MinThreshold);
    }

    /// <summary>upstream scaledImageScore: the size times the share of nodes holding the image.</summary>
    internal static long ScaledImageScore(long size, int numNodes, int totalNodes) =>
        totalNodes == 0 ? 0 : (long)(size * ((double)numNodes / totalNodes));

    /// <summary>upstream normalizedImageName: an image without a tag is ":latest".</summary>
    internal static string NormalizedImageName(string name) =>
        name.LastIndexOf(':') <= name.LastIndexOf('/') ? name + ":latest" : name;

    private static IEnumerable<V1Container> Containers(V1Pod pod) =>
        (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []);

    private static IEnumerable<string> NamesOf(IEnumerable<V1ContainerImage> images) =>
        images.SelectMany(i => i.Names ?? []).Distinct(StringComparer.Ordinal);
}
