using k8s.Models;

namespace Timonel.Agent.NodeAgent;

/// <summary>The pod conditions a kubelet writes (pkg/kubelet/status/generate.go), merged into those the pod has.</summary>
internal static class PodConditions
{
    /// <summary>
    /// The kubelet's conditions in its order, then PodScheduled as the scheduler set it (the kubelet adds it True for a
    /// pod bound without one), then any others the pod has; a condition whose status is unchanged keeps its
    /// lastTransitionTime.
    /// </summary>
    public static List<V1PodCondition> Merge(IList<V1PodCondition>? old, DateTimeOffset now, params PodConditionState[] kubelet)
    {
        old ??= [];
        var conditions = new List<V1PodCondition>();
        foreach (var (type, status, reason, message) in kubelet)
        {
            var text = status ? "True" : "False";
            var previous = old.FirstOrDefault(c => c.Type == type);
            var since = previous is not null && previous.Status == text && previous.LastTransitionTime is { } kept ? kept : ApiTime.Seconds(now);
            conditions.Add(new V1PodCondition { Type = type, Status = text, LastTransitionTime = since, Message = message, Reason = reason });
        }

        conditions.Add(old.FirstOrDefault(c => c.Type == "PodScheduled") ?? new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = ApiTime.Seconds(now) });
        foreach (var other in old.Where(c => conditions.All(k => k.Type != c.Type)))
        {
            conditions.Add(other);
        }

        return conditions;
    }
}
