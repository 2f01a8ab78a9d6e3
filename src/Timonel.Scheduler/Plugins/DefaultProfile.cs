using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins;

/// <summary>
/// The plugins of upstream's default profile that Timonel has, in its order (apis/config/v1 default_plugins.go
/// getDefaultPlugins), with its score weights: TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1,
/// PodTopologySpread 2, InterPodAffinity 2, NodeResourcesBalancedAllocation 1, ImageLocality 1.
/// </summary>
public static class DefaultProfile
{
    /// <summary>upstream's default schedulerName.</summary>
    public const string SchedulerName = "default-scheduler";

    public static IReadOnlyDictionary<string, int> ScoreWeights { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [TaintToleration.TaintToleration.PluginName] = 3,
        [NodeAffinity.NodeAffinity.PluginName] = 2,
        [NodeResourcesFit.NodeResourcesFit.PluginName] = 1,
        [NodeResourcesBalancedAllocation.NodeResourcesBalancedAllocation.PluginName] = 1,
        [PodTopologySpread.PodTopologySpread.PluginName] = 2,
        [InterPodAffinity.InterPodAffinity.PluginName] = 2,
        [ImageLocality.ImageLocality.PluginName] = 1,
    };

    public static IReadOnlyList<IPlugin> Plugins(FrameworkHandle handle) =>
    [
        new PrioritySort.PrioritySort(),
        new NodeUnschedulable.NodeUnschedulable(),
        new NodeName.NodeName(),
        new TaintToleration.TaintToleration(),
        new NodeAffinity.NodeAffinity(),
        new NodePorts.NodePorts(),
        new NodeResourcesFit.NodeResourcesFit(),
        new VolumeRestrictions.VolumeRestrictions(handle),
        new VolumeBinding.VolumeBinding(handle),
        new PodTopologySpread.PodTopologySpread(handle),
        new InterPodAffinity.InterPodAffinity(handle),
        new DefaultPreemption.DefaultPreemption(handle),
        new NodeResourcesBalancedAllocation.NodeResourcesBalancedAllocation(),
        new ImageLocality.ImageLocality(handle),
        new DefaultBinder.DefaultBinder(handle.Api),
    ];

    public static Framework.Framework Framework(FrameworkHandle handle)
    {
        var framework = new Framework.Framework(Plugins(handle), ScoreWeights, handle.Time, handle.Nominator);
        handle.Framework = framework;
        return framework;
    }
}
