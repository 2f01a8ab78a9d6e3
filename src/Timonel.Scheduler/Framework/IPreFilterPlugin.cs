using k8s.Models;

namespace Timonel.Scheduler.Framework;

/// <summary>
/// Runs once per pod before the filters (upstream PreFilterPlugin). Success with a result naming nodes narrows the
/// nodes filtered; Skip skips this plugin's Filter; a rejection fails the pod on every node with this message.
/// </summary>
public interface IPreFilterPlugin : IPlugin
{
    (PreFilterResult? Result, Status Status) PreFilter(CycleState state, PodInfo pod);
}
