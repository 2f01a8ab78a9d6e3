using Timonel.Scheduler.Cache;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// The PostFilter of upstream's default profile, without evictions: it reports, in upstream's words
/// (plugins/defaultpreemption and framework/preemption), that preemption would not help on nodes that rejected the
/// pod as unresolvable and that no victims were found on the others.
/// </summary>
public sealed class DefaultPreemption : IPostFilterPlugin
{
    public const string PluginName = "DefaultPreemption";
    private const string NotHelpful = "Preemption is not helpful for scheduling";
    private const string NoVictims = "No preemption victims found for incoming pod";
    private readonly Snapshot _snapshot;

    public DefaultPreemption(Snapshot snapshot)
    {
        _snapshot = snapshot;
    }

    public string Name => PluginName;

    public (string? NominatedNodeName, Status Status) PostFilter(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus)
    {
        if (pod.Pod.Spec?.PreemptionPolicy == "Never")
        {
            return (null, Status.Unschedulable("preemption: not eligible due to preemptionPolicy=Never."));
        }

        var diagnosis = new Diagnosis();
        diagnosis.NodeToStatus.AbsentNodesStatus = Status.UnschedulableAndUnresolvable(NotHelpful);
        foreach (var node in _snapshot.NodeInfoList)
        {
            var rejected = filteredNodeStatus.Get(node.Name);
            diagnosis.NodeToStatus.Set(node.Name, Status.UnschedulableAndUnresolvable(rejected.Code == Code.Unschedulable ? NoVictims : NotHelpful));
        }

        return (null, Status.Unschedulable("preemption: " + FitError.Format(_snapshot.NodeInfoList.Count, diagnosis)));
    }
}
