using k8s.Models;
using Timonel.Client.Objects;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultPreemption;

/// <summary>Which victims a PodDisruptionBudget forbids evicting (upstream defaultpreemption filterPodsWithPDBViolation).</summary>
public static class PdbViolations
{
    /// <summary>
    /// Splits <paramref name="pods"/>, keeping their order, into the pods whose eviction would take a matching budget
    /// below zero allowed disruptions (counted down pod by pod from status.disruptionsAllowed) and the others. A pod
    /// already in a budget's status.disruptedPods was counted by the API server and is not counted again; a budget
    /// with no or an empty selector matches nothing.
    /// </summary>
    public static (List<PodInfo> Violating, List<PodInfo> NonViolating) Split(IReadOnlyList<PodInfo> pods, IReadOnlyList<V1PodDisruptionBudget> pdbs)
    {
        var allowed = pdbs.Select(p => p.Status?.DisruptionsAllowed ?? 0).ToArray();
        var violating = new List<PodInfo>();
        var nonViolating = new List<PodInfo>();
        foreach (var info in pods)
        {
            var pod = info.Pod;
            var violated = false;
            if (pod.Metadata.Labels is { Count: > 0 } labels)
            {
                for (var i = 0; i < pdbs.Count; i++)
                {
                    var pdb = pdbs[i];
                    if (pdb.Metadata.NamespaceProperty != pod.Metadata.NamespaceProperty || IsEmpty(pdb.Spec?.Selector)
                        || !LabelSelectors.Matches(pdb.Spec!.Selector, labels)
                        || pdb.Status?.DisruptedPods?.ContainsKey(pod.Metadata.Name) == true)
                    {
                        continue;
                    }

                    allowed[i]--;
                    if (allowed[i] < 0)
                    {
                        violated = true;
                    }
                }
            }

            (violated ? violating : nonViolating).Add(info);
        }

        return (violating, nonViolating);
    }

    private static bool IsEmpty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0);
}
